/** Builds the app when it is missing or stale; true when it built. */
export declare function ensureApp(): Promise<boolean>
