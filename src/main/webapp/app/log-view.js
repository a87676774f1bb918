// The log of one build as DOM: numbered lines with #L anchors, ANSI colours (ansi_up, one
// parser for the whole log so a colour opened on one line goes on into the next), carriage
// returns redrawn in place, and foldable sections: GitHub's ::group::/::endgroup:: and GitLab's
// section_start/section_end, nested. Every line number is rendered once: lines the view already
// has are skipped, so overlapping replays (a resumed stream, a long-poll) change nothing.

import { AnsiUp } from '../vendor/ansi_up/ansi_up.js';
import { formatDuration } from './common.js';

// CSI sequences (colours, erase-line ...) and OSC sequences (titles, links).
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g;

export function stripAnsi(text) {
  return text.replace(ESCAPES, '');
}

/**
 * What a terminal shows of a line with carriage returns: the text after the last `\r`
 * (`hidden` is what came before it). Trailing `\r`s (a progress line that ends with one) do not
 * count, or the line would show nothing.
 */
export function splitCarriageReturns(text) {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 13) end--;
  const body = end === text.length ? text : text.slice(0, end);
  const i = body.lastIndexOf('\r');
  return i < 0 ? { hidden: '', shown: body } : { hidden: body.slice(0, i), shown: body.slice(i + 1) };
}

const GROUP_START = /^\s*::group::(.*)$/;
const GROUP_END = /^\s*::endgroup::\s*$/;
const SECTION_START = /section_start:(\d+):([A-Za-z0-9_.-]+)(?:\[([^\]]*)\])?/;
const SECTION_END = /section_end:(\d+):([A-Za-z0-9_.-]+)/;

export class LogView {
  constructor(root) {
    this.root = root;
    this.reset();
  }

  /** Forget everything (the stream said `reset`: a replay from line 1 follows). */
  reset() {
    this.root.replaceChildren();
    this.ansi = new AnsiUp();
    this.ansi.use_classes = false;
    this.nextLine = 1;
    this.stack = [{ body: this.root, section: null }];
  }

  /** The element of line `n`, or null while the view does not have it. */
  line(n) {
    return document.getElementById(`L${n}`);
  }

  /**
   * Appends a chunk of consecutive lines starting at number `first`; lines below `nextLine` are
   * already shown and skipped. `ts` (ISO time of the chunk) goes on each line's number as a title
   * and times the sections. Returns how many lines were added.
   */
  append(first, lines, ts) {
    const skip = Math.max(0, this.nextLine - first);
    const time = ts ? Date.parse(ts) : NaN;
    let added = 0;
    for (let i = skip; i < lines.length; i++) {
      this.appendLine(first + i, lines[i] ?? '', ts, time);
      added++;
    }
    if (first + lines.length > this.nextLine) this.nextLine = first + lines.length;
    return added;
  }

  appendLine(n, raw, ts, time) {
    const { hidden, shown } = splitCarriageReturns(raw);
    // What a terminal overwrote is not shown, but its escapes still set the colour state.
    if (hidden) this.ansi.ansi_to_html(hidden);
    const html = this.ansi.ansi_to_html(shown);
    const plain = stripAnsi(shown);
    const markers = hidden ? stripAnsi(raw) : plain;

    let m;
    if ((m = GROUP_START.exec(plain))) {
      this.openSection(n, m[1].trim() || 'group', ts, time, false, null);
      return;
    }
    if ((m = SECTION_START.exec(markers))) {
      const folded = /collapsed=true/.test(m[3] || '');
      const title = plain.trim() || m[2];
      this.openSection(n, title, ts, Number(m[1]) * 1000, folded, m[2]);
      return;
    }
    const row = this.makeLine(n, html, ts);
    if (GROUP_END.test(plain) && this.stack.length > 1) {
      row.classList.add('marker');
      this.current().appendChild(row);
      this.closeSection(time, null);
      return;
    }
    if ((m = SECTION_END.exec(markers)) && this.stack.some((s) => s.section && s.name === m[2])) {
      row.classList.add('marker');
      this.current().appendChild(row);
      this.closeSection(Number(m[1]) * 1000, m[2]);
      return;
    }
    this.current().appendChild(row);
  }

  current() {
    return this.stack[this.stack.length - 1].body;
  }

  makeLine(n, html, ts) {
    const row = document.createElement('div');
    row.className = 'line';
    row.id = `L${n}`;
    const num = document.createElement('a');
    num.className = 'ln';
    num.href = `#L${n}`;
    num.textContent = String(n);
    if (ts) num.title = ts;
    const text = document.createElement('span');
    text.className = 'txt';
    text.innerHTML = html;
    row.append(num, text);
    return row;
  }

  openSection(n, title, ts, start, folded, name) {
    const section = document.createElement('div');
    section.className = 'section' + (folded ? ' folded' : '');
    const head = this.makeLine(n, '', ts);
    head.classList.add('section-head');
    const text = head.querySelector('.txt');
    const toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'fold';
    toggle.setAttribute('aria-label', 'fold');
    const label = document.createElement('span');
    label.className = 'section-title';
    label.textContent = title;
    const duration = document.createElement('span');
    duration.className = 'section-duration';
    text.append(toggle, label, duration);
    head.addEventListener('click', (e) => {
      if (e.target.closest('a')) return; // the line number sets the hash
      section.classList.toggle('folded');
    });
    const body = document.createElement('div');
    body.className = 'section-body';
    section.append(head, body);
    this.current().appendChild(section);
    this.stack.push({ body, section, name, start, duration });
  }

  closeSection(end, name) {
    // GitLab names its sections: close up to the one named; ::endgroup:: closes the innermost.
    while (this.stack.length > 1) {
      const top = this.stack.pop();
      if (isFinite(top.start) && isFinite(end)) {
        top.duration.textContent = formatDuration(end - top.start);
      }
      top.section.classList.add('closed');
      if (name == null || top.name === name) return;
    }
  }

  /** Unfolds every section around line `n` so it can be seen. */
  reveal(n) {
    const el = this.line(n);
    for (let b = el && el.closest('.section-body'); b; b = b.parentElement.closest('.section-body')) {
      b.parentElement.classList.remove('folded');
    }
    return el;
  }
}
