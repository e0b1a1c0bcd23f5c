import escapeHtml from 'escape-html';

/** Text as Mastodon's HTML: escaped, inside `<p>`, line breaks as `<br>`; empty text is "". */
export function textToHtml(text: string): string {
  if (text === '') return '';
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\r?\n/g, '<br>')}</p>`)
    .join('');
}
