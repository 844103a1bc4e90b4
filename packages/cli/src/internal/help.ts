/**
 * Help texts: a command's description followed by its examples, as an
 * `@effect/cli` `HelpDoc` (`civicgrid <command> --help` renders it under
 * DESCRIPTION).
 */
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Span from "@effect/cli/HelpDoc/Span"

/** An example: the command line, and what it does. */
export type Example = readonly [commandLine: string, what: string]

/** A description paragraph, then "Examples:" with each example's command line and what it does. */
export const withExamples = (description: string, examples: ReadonlyArray<Example>): HelpDoc.HelpDoc =>
  HelpDoc.blocks([
    HelpDoc.p(description),
    HelpDoc.h1("EXAMPLES"),
    ...examples.map(([commandLine, what]) =>
      HelpDoc.p(Span.concat(Span.code(`  $ ${commandLine}`), Span.text(`\n      ${what}`)))
    )
  ])
