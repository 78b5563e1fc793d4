// Runs in the page (read as text by layout.test.ts, never imported): what does not fit, as lines.
(() => {
  const problems = [];
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width) problems.push(`the page is ${document.documentElement.scrollWidth}px wide in a ${width}px viewport`);
  const name = (el) => `${el.localName}${el.id ? '#' + el.id : ''}${el.classList.length ? '.' + [...el.classList].join('.') : ''}`;
  const portal = document.querySelector('portal-root');
  const all = [portal];
  const roots = [];
  for (const el of portal.querySelectorAll('*')) {
    all.push(el);
    if (el.shadowRoot) roots.push(el.shadowRoot);
  }
  for (let root = roots.pop(); root; root = roots.pop()) {
    for (const el of root.querySelectorAll('*')) {
      all.push(el);
      if (el.shadowRoot) roots.push(el.shadowRoot);
    }
  }
  const up = (el) => el.parentElement ?? el.getRootNode().host ?? null;
  // Inside a strip that scrolls sideways on purpose (the tabs on a phone), sticking out is fine.
  const scrollsSideways = (el) => {
    for (let p = up(el); p; p = up(p)) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll') return true;
    }
    return false;
  };
  // Visually hidden (for screen readers only: a 1px clipped box) is not on screen.
  const clipped = (el) => {
    for (let p = el; p; p = up(p)) {
      const r = p.getBoundingClientRect();
      if (getComputedStyle(p).overflow === 'hidden' && r.width <= 1 && r.height <= 1) return true;
    }
    return false;
  };
  const visible = (el) => el.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true }) && !clipped(el);
  for (const el of all) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || !visible(el)) continue;
    if ((r.right > width + 0.5 || r.left < -0.5) && !scrollsSideways(el)) problems.push(`${name(el)} reaches ${Math.round(r.left)}–${Math.round(r.right)}px in a ${width}px viewport`);
  }
  // A word of up to 20 letters on two lines was broken in the middle.
  for (const el of all) {
    if (!visible(el)) continue;
    for (const node of el.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent) continue;
      for (const m of node.textContent.matchAll(/[A-Za-z]{4,20}/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((q) => q.width > 0).map((q) => Math.round(q.top)));
        if (tops.size > 1) problems.push(`"${m[0]}" is broken across lines in ${name(el)}`);
      }
    }
  }
  return problems;
})();
