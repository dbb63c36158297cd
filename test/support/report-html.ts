/** Reads the parts of a report page that tests check, with plain string scanning (the page is ours and regular). */

/** Each `<section data-section="…">`'s inner HTML, by id, in page order. */
export function reportSections(html: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const match of html.matchAll(/<section id="[^"]*" data-section="([^"]+)">([\s\S]*?)<\/section>/g)) {
    sections.set(match[1]!, match[2]!);
  }
  return sections;
}

/** The number of charts (inline SVG figures) in a piece of the page. */
export function chartCount(html: string): number {
  return [...html.matchAll(/<figure class="chart"[^>]*><svg/g)].length;
}

/** A data table's header and cell texts, unescaped. */
export function dataTable(html: string, name: string): { columns: string[]; cells: string[][] } | undefined {
  const table = new RegExp(`<table class="data" data-table="${name}">([\\s\\S]*?)</table>`).exec(html)?.[1];
  if (table === undefined) return undefined;
  const columns = [...table.matchAll(/<th>([\s\S]*?)<\/th>/g)].map((match) => unescape(match[1]!));
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  const cells = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .map((row) => [...row[1]!.matchAll(/<td(?: class="num")?>([\s\S]*?)<\/td>/g)].map((cell) => unescape(cell[1]!)))
    .filter((row) => row.length > 0);
  return { columns, cells };
}

function unescape(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}
