// What docs/operations.md documents of the log: the field names (its "### Fields" table) and the
// lines by `msg` (its "### Lines" table). Shared by the run in workerd and the source scan in Node.

/** The first cells, unquoted from their backticks, of the table under `heading`. */
function firstCells(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`docs/operations.md has no "${heading}" section`);
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(/\n#{1,6} /);
  const section = end < 0 ? rest : rest.slice(0, end);
  // The rows below the table's separator line, not its header.
  const body = section.slice(section.search(/^\| -/m));
  return [...body.matchAll(/^\| `([^`]+)`/gm)].map((match) => match[1] ?? "");
}

export const documentedLogFields = (operations: string) => firstCells(operations, "### Fields");
export const documentedLogLines = (operations: string) => firstCells(operations, "### Lines");
