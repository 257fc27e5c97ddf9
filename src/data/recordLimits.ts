/**
 * How much of a data file may be held at once. CSV and JSON Lines are streamed a record at a
 * time, so only a record is bounded; a JSON document is parsed from its whole text, so the
 * document is. A file that breaks a limit gets one located message, not a host out of memory.
 */

/** A CSV record or a JSON Lines line longer than this is refused (and the CSV header line while the delimiter is sniffed). */
export const MAX_RECORD_CHARS = 8 << 20;

/**
 * A JSON document (array of rows, or object of columns) bigger than this is refused: parsing
 * one takes about 7 times its size in memory (a 22 MB file, 150 MB); JSON Lines and CSV stream.
 */
export const MAX_JSON_DOCUMENT_BYTES = 64 << 20;

/** "8 MiB" for a byte or character count that is a whole number of MiB. */
export function mebibytes(n: number): string {
  return `${n / 2 ** 20} MiB`;
}
