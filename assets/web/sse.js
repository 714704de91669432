// Server-Sent Events, parsed from text chunks as they arrive (the format of
// the HTML standard, section 9.2): `event:` and `data:` lines, a blank line
// ends an event, `:` starts a comment. Returns a function to feed chunks.
export function parse_sse(on_event) {
  let buffer = '';
  let type = '';
  let data = [];
  const line = (l) => {
    if (l === '') {
      if (data.length) on_event(type || 'message', data.join('\n'));
      type = '';
      data = [];
      return;
    }
    if (l.startsWith(':')) return;
    const colon = l.indexOf(':');
    const field = colon < 0 ? l : l.slice(0, colon);
    let value = colon < 0 ? '' : l.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  };
  return (chunk) => {
    buffer += chunk;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(buffer);
      if (!m) break;
      // A lone \r at the end may be the first half of \r\n: wait for more.
      if (m[0] === '\r' && m.index === buffer.length - 1) break;
      line(buffer.slice(0, m.index));
      buffer = buffer.slice(m.index + m[0].length);
    }
  };
}
