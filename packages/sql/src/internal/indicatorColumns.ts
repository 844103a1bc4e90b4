/**
 * The value columns of the indicator tables as migration 0006 created them —
 * frozen here because 0006 reads them (a migration must create the same
 * tables however the code changes later). Migration 0009 replaced them with
 * the core's stored columns (`IndicatorProjection.columns`), which the store
 * reads and writes now; nothing else uses this list.
 */
export const valueColumns = [
  "ac_n",
  "ac_d",
  "cl_n",
  "cl_d",
  "otc_n",
  "h_n",
  "h_d",
  "oth_n",
  "rw_n",
  "dp_n",
  "dp_d",
  "otf_n",
  "otf_d",
  "fa_n",
  "fa_d",
  "ro_n",
  "ro_d",
  "fc_self",
  "fc_local",
  "fc_comm",
  "fc_street",
  "fc_dist",
  "fc_d",
  "ev_sat",
  "ev_basic",
  "cl_cond",
  "h_cond"
] as const
