/**
 * `npm start`: build the demo district and print its hierarchy, grid coverage
 * and staffing reports.
 */
import { makeDemoDistrict } from "./district.js"
import { buildReport, formatReport } from "./report.js"

const district = makeDemoDistrict()
console.log(formatReport(district, buildReport(district)))
