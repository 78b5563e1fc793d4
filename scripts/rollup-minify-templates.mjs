/**
 * Rollup plugin (after typescript): squeezes the literal text of Lit's css`…` and html`…`
 * templates in our widget sources, which terser leaves as written. The templates are found in
 * the parsed program (nested templates and `${…}` expressions are never touched as text).
 *
 * css: comments and layout whitespace out; spaces that carry meaning (between words, before a
 * `:` as in `.a :hover`) stay. html: a run of whitespace with a line break in it becomes one
 * space, which renders the same outside <pre>/<textarea> literal text (we have none: textareas
 * take `.value`, and the pre-wrap styles apply to bound text only).
 */
import { walk } from 'estree-walker';

export function squeezeCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}');
}

export const squeezeHtml = (text) => text.replace(/\s*\n\s*/g, ' ');

const SQUEEZE = { css: squeezeCss, html: squeezeHtml };

export default function minifyTemplates() {
  return {
    name: 'minify-lit-templates',
    transform(code, id) {
      if (!/[\\/]widget[\\/].*\.ts$/.test(id) || !/\b(css|html)\s*`/.test(code)) return null;
      const edits = [];
      walk(this.parse(code), {
        enter(node) {
          if (node.type !== 'TaggedTemplateExpression' || node.tag.type !== 'Identifier') return;
          const squeeze = SQUEEZE[node.tag.name];
          if (!squeeze) return;
          for (const quasi of node.quasi.quasis) edits.push([quasi.start, quasi.end, squeeze(quasi.value.raw)]);
        },
      });
      if (!edits.length) return null;
      let out = code;
      for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + text + out.slice(end);
      return { code: out, map: null };
    },
  };
}
