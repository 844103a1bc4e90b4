/**
 * `npm start`: build the demo district (`@civicgrid/demo/District`) and print
 * its hierarchy, grid coverage and staffing reports.
 */
import * as District from "@civicgrid/demo/District"
import { buildReport, formatReport } from "./report.js"

const district = District.makeDefault()
console.log(formatReport(district, buildReport(district)))
