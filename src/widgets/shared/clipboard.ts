/**
 * Copies text with the clipboard API where the page may use it. Sandboxed frames and old browsers refuse;
 * then the field is focused and selected so the reader can copy it by hand. Returns the sentence to announce.
 */
export async function copyText(text: string, field: HTMLTextAreaElement | HTMLInputElement | undefined, what: string): Promise<string> {
  try {
    await navigator.clipboard.writeText(text);
    return `${what} copied.`;
  } catch {
    field?.focus();
    field?.select();
    return `${what} selected: press Ctrl+C or ⌘C to copy.`;
  }
}
