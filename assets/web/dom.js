// Building the pages' elements: el('td', {class: 'num', text: '1.25'}, child...).
// `class` sets the class name, `text` the text (never HTML); any other key is
// an attribute.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}
