// A generated block of README.md between two marker comments: read it, or replace it.

/** The text between the markers (trimmed), or undefined when the README has none. */
export function sectionBetween(readme: string, begin: string, end: string): string | undefined {
    const i = readme.indexOf(begin);
    const j = readme.indexOf(end);
    if (i < 0 || j < i) return undefined;
    return readme.slice(i + begin.length, j).trim();
}

/** The README with `content` between the markers; throws when they are missing. */
export function replaceSection(readme: string, begin: string, end: string, content: string): string {
    const i = readme.indexOf(begin);
    const j = readme.indexOf(end);
    if (i < 0 || j < i) throw new Error(`README.md has no ${begin} ... ${end} block`);
    return `${readme.slice(0, i + begin.length)}\n${content}\n${readme.slice(j)}`;
}
