// @ts-check
/**
 * The error a durable store throws when a file in its data folder is not what it wrote: it names
 * the file, the byte offset and what was found there, and says what to do. Nothing is cut,
 * replaced or re-imported when one is thrown: the store refuses to open (`ringi serve` exits 1
 * with the message) until the file is restored or `ringi repair --data DIR` is run.
 */
export class DamagedFileError extends Error {
  /**
   * @param {string} file      path of the damaged file
   * @param {string} what      what is wrong, in a sentence ("bad checksum in record 16")
   * @param {{offset?: number, following?: number, hint?: string}} [o]
   *   offset: where the damage starts; following: how many intact records come after it;
   *   hint: what to do (default: run ringi repair)
   */
  constructor(file, what, o = {}) {
    const at = o.offset === undefined ? '' : ` at byte ${o.offset}`;
    const after = o.following ? `; ${o.following} intact record${o.following === 1 ? '' : 's'} follow${o.following === 1 ? 's' : ''} it` : '';
    const hint = o.hint ?? `Nothing was changed. Run \`ringi repair --data ${JSON.stringify(dirOf(file))}\` to keep a copy and cut the file to its intact part, or restore the file from a backup.`;
    super(`${file}: ${what}${at}${after}. ${hint}`);
    this.name = 'DamagedFileError';
    this.code = 'RINGI_ST03';
    this.file = file;
    this.offset = o.offset;
    this.following = o.following ?? 0;
  }
}

/** @param {string} file */
function dirOf(file) {
  const i = file.lastIndexOf('/');
  return i > 0 ? file.slice(0, i) : '.';
}
