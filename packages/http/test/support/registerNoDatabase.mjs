// `node --import tsx --import ./registerNoDatabase.mjs …`: registered after tsx, so it sees every specifier first.
import { register } from "node:module"

register("./noDatabase.mjs", import.meta.url)
