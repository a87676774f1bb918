// The log of one build as DOM: numbered lines with #L anchors, ANSI colours (ansi_up, one
// parser for the whole log so a colour opened on one line goes on into the next), carriage
// returns redrawn in place, and foldable sections: GitHub's ::group::/::endgroup:: and GitLab's
// section_start/section_end, nested. Every line number is rendered once: lines the view already
// has are skipped, so overlapping replays (a resumed stream, a long-poll) change nothing.
//
// The markers' own conventions: a `::group::` is folded unless the build is live and the group
// still open, or it holds an error line (a reader's click wins over both); a GitLab section is
// folded as its `[collapsed=true]` says. Marker lines (`::endgroup::`, a matched `section_end`,
// `::add-mask::`) take no row, but keep their line numbers: every visible line is numbered (and
// `#L`-linked) as in the stored log. Error lines are the ones the server marked (`errors` of a
// `log` event); against a server that does not mark them (`serverMarks` false) a line matching
// ERROR_LINE counts instead.
//
// Virtual scrolling: the lines (text rendered to HTML, sections, numbers) live in memory; the DOM
// holds only the visible lines around the viewport (plus a margin), between two spacers sized so
// the page is as tall as all visible lines (folded sections take no rows). Rows have a fixed
// height (--row in style.css).

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
const ADD_MASK = /^\s*::add-mask::/;

// A line that reports an error, for a server that does not mark them: counted on every section
// around it.
const ERROR_LINE = /\b(?:error|fatal)\b|ERR!|##\[error\]/i;

const MARGIN = 200; // rows rendered above and below the viewport
const HIDDEN_CAP = 100; // folded (hidden) lines rendered per window, for getElementById

const clocks = new Map(); // a chunk's ISO time -> its clock text, shared by the chunk's lines

/** "14:03:07.250" (local time) for a line's ISO timestamp. */
function clock(ts) {
  if (!ts) return '';
  let text = clocks.get(ts);
  if (text == null) {
    const d = new Date(ts);
    text = isNaN(d)
      ? ''
      : `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
    if (clocks.size > 10000) clocks.clear();
    clocks.set(ts, text);
  }
  return text;
}

export class LogView {
  constructor(root) {
    this.root = root;
    this.highlighted = null;
    this.marks = new Map(); // line number -> colour (someone in the room points at it)
    this.matches = new Set(); // line numbers the search found
    this.live = false; // the build runs: the open ::group:: stays unfolded
    this.serverMarks = false; // the server marks error lines (`errors` of a log event)
    this.onErrors = null; // called when error lines arrive
    this.top = document.createElement('div');
    this.bottom = document.createElement('div');
    this.top.className = this.bottom.className = 'log-spacer';
    this.reset();
    root.addEventListener('click', (e) => {
      if (e.target.closest('a')) return; // the line number sets the hash
      const head = e.target.closest('.section-head');
      if (!head) return;
      const i = this.index(Number(head.dataset.n));
      if (i < 0 || !this.lines[i].head) return;
      const sec = this.lines[i].head;
      sec.folded = !sec.folded;
      sec.auto = false; // the reader decided
      this.relayout();
    });
    const onScroll = () => this.render(false);
    window.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
  }

  /** Forget everything (the stream said `reset`: a replay from line 1 follows). */
  reset() {
    this.ansi = new AnsiUp();
    this.ansi.use_classes = false;
    this.nextLine = 1;
    this.step = null; // the step of the last chunk that named one
    this.steps = new Map(); // step name -> its section
    this.lines = []; // { n, html, ts, sec (innermost section holding it), head?, marker?, error? }
    this.errors = []; // line numbers of the error lines, ascending
    this.visible = []; // indexes into lines of the lines not folded away
    this.stack = [null]; // open sections, innermost last
    this.from = 0; // rendered rows [from, to) of visible
    this.to = 0;
    this.root.replaceChildren(this.top, this.bottom);
    this.top.style.height = this.bottom.style.height = '0px';
  }

  rowHeight() {
    if (!this.row) {
      this.row = parseFloat(getComputedStyle(this.root).getPropertyValue('--row')) || 19;
    }
    return this.row;
  }

  /** The index in `lines` of line number `n`, or -1. */
  index(n) {
    let lo = 0;
    let hi = this.lines.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = this.lines[mid].n;
      if (m === n) return mid;
      if (m < n) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The element of line `n`, or null while it is not rendered. */
  line(n) {
    return document.getElementById(`L${n}`);
  }

  /**
   * Appends a chunk of consecutive lines starting at number `first`; lines below `nextLine` are
   * already shown and skipped. `ts` (ISO time of the chunk) goes on each line's number as a title
   * and times the sections; `step` (the build step the chunk belongs to, if its publisher said)
   * starts a section of its own when it changes. Returns how many lines were added.
   */
  append(first, lines, ts, step, errors) {
    const skip = Math.max(0, this.nextLine - first);
    if (Array.isArray(errors)) this.serverMarks = true;
    const marked = Array.isArray(errors) && errors.length ? new Set(errors) : null;
    const errorsBefore = this.errors.length;
    const time = ts ? Date.parse(ts) : NaN;
    let added = 0;
    const before = this.visible.length;
    this.closed = false;
    if (step && step !== this.step && skip < lines.length) this.openStep(first + skip, step, ts, time);
    for (let i = skip; i < lines.length; i++) {
      this.appendLine(first + i, lines[i] ?? '', ts, time, !!marked && marked.has(i));
      added++;
    }
    if (this.errors.length > errorsBefore && this.onErrors) this.onErrors(this.errors);
    if (first + lines.length > this.nextLine) this.nextLine = first + lines.length;
    // Rows rendered above the old end do not change (unless a section got its duration): only
    // the spacer grows, and a selection in what is rendered survives.
    if (added > 0) this.render(this.to >= before || this.closed);
    return added;
  }

  appendLine(n, raw, ts, time, marked) {
    const { hidden, shown } = splitCarriageReturns(raw);
    // What a terminal overwrote is not shown, but its escapes still set the colour state.
    if (hidden) this.ansi.ansi_to_html(hidden);
    const html = this.ansi.ansi_to_html(shown);
    const plain = stripAnsi(shown);
    const markers = hidden ? stripAnsi(raw) : plain;

    let m;
    if ((m = GROUP_START.exec(plain))) {
      // folded unless the build is live (it stays open while it runs, folds when it closes)
      this.openSection(n, m[1].trim() || 'group', ts, time, !this.live, null, true);
      return;
    }
    if ((m = SECTION_START.exec(markers))) {
      const folded = /collapsed=true/.test(m[3] || '');
      const title = plain.trim() || m[2];
      this.openSection(n, title, ts, Number(m[1]) * 1000, folded, m[2]);
      return;
    }
    const groupEnd = GROUP_END.test(plain);
    const sectionEnd = !groupEnd && SECTION_END.exec(markers);
    const ends = sectionEnd && this.stack.some((s) => s && s.name === sectionEnd[2]);
    const marker = groupEnd || !!ends || ADD_MASK.test(plain);
    const error = !marker && (this.serverMarks ? marked : ERROR_LINE.test(plain));
    const line = this.add({ n, html, ts, sec: this.current(), marker, error });
    if (error) {
      this.errors.push(n);
      let unfold = null;
      for (let sec = line.sec; sec; sec = sec.parent) {
        sec.errors++;
        if (sec.auto && sec.folded) unfold = sec;
        if (sec.auto) sec.folded = false; // a group with an error line shows it
      }
      if (unfold) this.refillTail(unfold.index);
      this.closed = true; // the heads show the new count
    }
    if (groupEnd) {
      if (this.stack.length > 1) this.closeSection(time, null);
      return;
    }
    if (ends) this.closeSection(Number(sectionEnd[1]) * 1000, sectionEnd[2]);
  }

  /**
   * The sections open from lines index `i` on changed their folding: `visible` is rebuilt from
   * there (they are at the end of the log, so this costs only their own lines).
   */
  refillTail(i) {
    while (this.visible.length && this.visible[this.visible.length - 1] > i) this.visible.pop();
    for (let k = i + 1; k < this.lines.length; k++) {
      if (this.shows(this.lines[k].sec) && !this.lines[k].marker) this.visible.push(k);
    }
    this.from = this.to = 0;
  }

  /**
   * Replaces the text of lines `first`.. (a `mask` event: the server masked a secret registered
   * after these lines were sent); sections and line numbers stay as they are.
   */
  replace(first, lines) {
    const ansi = new AnsiUp();
    ansi.use_classes = false;
    lines.forEach((raw, k) => {
      const i = this.index(first + k);
      if (i < 0) return;
      const { shown } = splitCarriageReturns(raw);
      const entry = this.lines[i];
      if (entry.head) {
        const plain = stripAnsi(shown);
        const m = GROUP_START.exec(plain);
        entry.head.title = m ? m[1].trim() || 'group' : plain.trim();
      } else {
        entry.html = ansi.ansi_to_html(shown);
      }
    });
    this.render(true);
  }

  /** The first and last line numbers held, or null when none is. */
  held() {
    const numbered = this.lines.filter((l) => Number.isInteger(l.n));
    if (!numbered.length) return null;
    return [numbered[0].n, numbered[numbered.length - 1].n];
  }

  add(line) {
    this.lines.push(line);
    if (!line.marker && this.shows(line.sec)) this.visible.push(this.lines.length - 1);
    return line;
  }

  /** Whether the body of section `sec` (null: the top level) is unfolded all the way up. */
  shows(sec) {
    for (let s = sec; s; s = s.parent) if (s.folded) return false;
    return true;
  }

  current() {
    return this.stack[this.stack.length - 1];
  }

  /**
   * A step's section: everything still open is closed, and a head row of its own (numbered half a
   * line before the step's first line, so it sorts there, with no line number shown) opens it.
   */
  openStep(n, step, ts, time) {
    this.closeSection(time, null);
    this.step = step;
    const section = { parent: null, name: null, title: step, start: time, folded: false };
    Object.assign(section, { closed: false, duration: '', errors: 0, step: true });
    this.add({ n: n - 0.5, html: '', ts, sec: null, head: section });
    this.stack.push(section);
    this.steps.set(step, section);
  }

  /** Step `step` finished at ISO time `ts`: its head shows how long it took. */
  stepFinished(step, ts) {
    const section = this.steps.get(step);
    const end = Date.parse(ts);
    if (!section || !isFinite(section.start) || !isFinite(end)) return;
    section.duration = formatDuration(end - section.start);
    this.render(true);
  }

  openSection(n, title, ts, start, folded, name, auto = false) {
    const parent = this.current();
    const section = { parent, name, title, start, folded, closed: false, duration: '', errors: 0 };
    section.auto = auto; // folds by the ::group:: convention until the reader clicks it
    this.add({ n, html: '', ts, sec: parent, head: section });
    section.index = this.lines.length - 1;
    this.stack.push(section);
  }

  closeSection(end, name) {
    // GitLab names its sections: close up to the one named; ::endgroup:: closes the innermost.
    let fold = null;
    while (this.stack.length > 1) {
      const top = this.stack.pop();
      if (isFinite(top.start) && isFinite(end)) top.duration = formatDuration(end - top.start);
      top.closed = true;
      this.closed = true;
      // a live group folds when it closes, unless it holds an error line
      if (top.auto && !top.folded && !top.errors && top.index != null) {
        top.folded = true;
        fold = top;
      }
      if (name == null || top.name === name) break;
    }
    if (fold) this.refillTail(fold.index);
  }

  depth(sec) {
    let d = 0;
    for (let s = sec; s; s = s.parent) d++;
    return d;
  }

  /** Folding changed: recount the visible lines and render again. */
  relayout() {
    this.visible = [];
    for (let i = 0; i < this.lines.length; i++) {
      if (!this.lines[i].marker && this.shows(this.lines[i].sec)) this.visible.push(i);
    }
    this.from = this.to = 0;
    this.render(true);
  }

  /** Unfolds every section around line `n`, scrolls it into view and returns its element. */
  reveal(n) {
    const i = this.index(n);
    if (i < 0) return null;
    let changed = false;
    for (let s = this.lines[i].sec; s; s = s.parent) {
      if (s.folded) {
        s.folded = false;
        s.auto = false;
        changed = true;
      }
    }
    if (changed) this.relayout();
    const row = this.visibleRow(i);
    const y = this.offset() + row * this.rowHeight() - window.innerHeight / 2;
    window.scrollTo(window.scrollX, Math.max(0, y));
    this.render(true);
    return this.line(n);
  }

  visibleRow(i) {
    let lo = 0;
    let hi = this.visible.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.visible[mid] < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Marks line `n` (and only it) as highlighted, rendered or not. */
  highlight(n) {
    this.highlighted = n;
    this.root.querySelectorAll('.line.highlight').forEach((l) => l.classList.remove('highlight'));
    const el = this.line(n);
    if (el) el.classList.add('highlight');
  }

  /** Marks the lines a search found (rendered or not). */
  setMatches(numbers) {
    this.matches = new Set(numbers);
    this.root.querySelectorAll('.line').forEach((el) => {
      el.classList.toggle('match', this.matches.has(Number(el.dataset.n)));
    });
  }

  /** Marks line `n` in `color` (rendered or not), or unmarks it when `color` is null. */
  mark(n, color) {
    if (color) this.marks.set(n, color);
    else this.marks.delete(n);
    const el = this.line(n);
    if (el) this.paintMark(el, color);
  }

  paintMark(el, color) {
    el.classList.toggle('pointed', !!color);
    if (color) el.style.setProperty('--point', color);
    else el.style.removeProperty('--point');
  }

  /** The document y of the first row. */
  offset() {
    return this.top.getBoundingClientRect().top + window.scrollY;
  }

  /**
   * Renders the rows around the viewport; unless `force`, only when the viewport came near the
   * edge of what is rendered.
   */
  render(force) {
    const h = this.rowHeight();
    const total = this.visible.length;
    const first = Math.max(0, Math.floor((window.scrollY - this.offset()) / h));
    const count = Math.ceil(window.innerHeight / h) + 1;
    const from = Math.max(0, Math.min(first, total) - MARGIN);
    const to = Math.min(total, first + count + MARGIN);
    const inside =
      this.from <= Math.max(0, first - MARGIN / 2) &&
      this.to >= Math.min(total, first + count + MARGIN / 2);
    if (!force && inside) {
      this.bottom.style.height = `${(total - this.to) * h}px`;
      return;
    }
    this.from = from;
    this.to = to;
    this.top.style.height = `${from * h}px`;
    const frag = document.createDocumentFragment();
    if (from < to) {
      const a = this.visible[from];
      const b = to < total ? this.visible[to] : this.lines.length;
      let hiddenLeft = HIDDEN_CAP;
      for (let i = a; i < b; i++) {
        const line = this.lines[i];
        const shown = !line.marker && this.shows(line.sec);
        if (!shown && hiddenLeft-- <= 0) continue;
        frag.appendChild(this.makeLine(line, shown));
      }
    }
    const old = this.root.querySelectorAll('.line');
    old.forEach((el) => el.remove());
    this.top.after(frag);
    this.bottom.style.height = `${(total - to) * h}px`;
  }

  makeLine(line, shown) {
    const { n, html, ts, head } = line;
    const row = document.createElement('div');
    row.className = 'line';
    if (line.marker) row.classList.add('marker');
    if (line.error) row.classList.add('error');
    if (n === this.highlighted) row.classList.add('highlight');
    if (this.matches.has(n)) row.classList.add('match');
    if (this.marks.has(n)) this.paintMark(row, this.marks.get(n));
    if (!shown) row.hidden = true;
    const stepHead = !Number.isInteger(n);
    row.id = stepHead ? `S${Math.ceil(n)}` : `L${n}`;
    row.dataset.n = String(n);
    const depth = this.depth(line.sec);
    if (depth) {
      row.classList.add('nested');
      row.style.setProperty('--depth', String(depth));
    }
    const num = document.createElement(stepHead ? 'span' : 'a');
    num.className = 'ln';
    if (!stepHead) {
      num.href = `#L${n}`;
      num.textContent = String(n);
    }
    if (ts) num.title = ts;
    const time = document.createElement('span');
    time.className = 'ts';
    time.textContent = clock(ts);
    const text = document.createElement('span');
    text.className = 'txt';
    if (head) {
      row.classList.add('section-head');
      if (head.step) row.classList.add('step-head');
      if (head.folded) row.classList.add('folded');
      if (head.closed) row.classList.add('closed');
      const toggle = document.createElement('button');
      toggle.type = 'button';
      toggle.className = 'fold';
      toggle.setAttribute('aria-label', 'fold');
      const label = document.createElement('span');
      label.className = 'section-title';
      label.textContent = head.title;
      const duration = document.createElement('span');
      duration.className = 'section-duration';
      duration.textContent = head.duration;
      text.append(toggle, label, duration);
      if (head.errors) {
        const errors = document.createElement('span');
        errors.className = 'section-errors';
        errors.title = `${head.errors} line${head.errors === 1 ? '' : 's'} reporting an error`;
        errors.textContent = `✖ ${head.errors}`;
        text.append(errors);
      }
    } else {
      text.innerHTML = html;
    }
    row.append(num, time, text);
    return row;
  }
}
