/**
 * Anchors that one generated page defines and others link to. Kept in one place so a link and
 * its target are built by the same function.
 */

/** The changelog's anchor for one rule's level changes: `change-EIO4-WS-02`. */
export function changeAnchor(ruleId: string): string {
  return `change-${ruleId}`;
}

/** The matrix's anchor for one chapter of one spec file: `cov-engine.io-v4-HANDSHAKE`. */
export function chapterAnchor(specName: string, chapter: string): string {
  const word = chapter.split(/\s/)[0] ?? chapter;
  return `cov-${specName}-${word.replace(/[^A-Za-z0-9.-]/g, "")}`;
}

/** The results page's anchor for one server: `server-official-node`. */
export function serverAnchor(key: string): string {
  return `server-${key.replace(/[^A-Za-z0-9.-]/g, "-")}`;
}
