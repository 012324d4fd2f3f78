// The page's behaviour: read the text or files, show the outline as an
// editable tree, convert the edited outline, offer the downloads.
// Plain ES2017, no build step, no dependencies.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const state = { outline: null, mode: "single", files: [], polling: null, editing: null, open: new Set() };

  const KINDS = [
    ["heading", "标题"],
    ["paragraph", "正文"],
    ["salutation", "称呼"],
    ["byline", "署名行"],
    ["signature", "落款署名"],
    ["date", "落款日期"],
  ];
  const LEVEL_NAMES = ["", "一级", "二级", "三级", "四级", "五级", "六级"];

  // ---------------------------------------------------------------- helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  // With API tokens on (converter serve --auth-tokens), every /v1/ request
  // carries the token the person typed, kept for this browser tab only.
  const TOKEN_KEY = "converter_token";

  async function api(url, options) {
    const opts = options || {};
    const headers = Object.assign({ "Accept-Language": "zh-CN" }, opts.headers || {});
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(url, Object.assign({}, opts, { headers }));
    if (res.status === 401) askForToken();
    return res;
  }

  function askForToken() {
    sessionStorage.removeItem(TOKEN_KEY);
    $("signin").hidden = false;
    $("token-input").focus();
  }

  function signIn() {
    const token = $("token-input").value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    $("token-input").value = "";
    $("signin").hidden = true;
    showError("");
    say("已保存访问令牌，请重试刚才的操作。");
  }

  function preview(text, n) {
    const t = (text || "").replace(/\s+/g, " ").trim();
    return t.length > n ? t.slice(0, n) + "…" : t;
  }

  function say(message) {
    $("status").textContent = message;
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message;
    box.hidden = !message;
  }

  async function errorText(res) {
    try {
      const body = await res.json();
      let text = body.message || body.error || res.statusText;
      const retry = res.headers.get("Retry-After");
      if (res.status === 429 && retry) text += `（${retry} 秒后可重试）`;
      return text;
    } catch (e) {
      return `请求失败（HTTP ${res.status}）`;
    }
  }

  function busy(on, label) {
    for (const id of ["detect", "convert"]) $(id).disabled = on;
    if (label) say(label);
    document.body.setAttribute("aria-busy", on ? "true" : "false");
  }

  function kindOf(block) {
    if (block.type === "heading") return "heading";
    if (block.type === "salutation") return "salutation";
    return block.role || "paragraph";
  }

  function sizeText(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function filenameFrom(disposition, fallback) {
    if (!disposition) return fallback;
    const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
    if (star) {
      try { return decodeURIComponent(star[1]); } catch (e) { /* fall through */ }
    }
    const plain = /filename="([^"]+)"/i.exec(disposition);
    return plain ? plain[1] : fallback;
  }

  // ------------------------------------------------------------- warnings

  const ORDER = ["uncertain", "truncated", "masked_text", "numbering_gap", "chrome_removed", "header_removed",
    "title_repeated", "invalid_char_removed", "summary"];

  function detail(message) {
    const i = message.indexOf(": ");
    return i >= 0 ? message.slice(i + 2) : message;
  }

  function describeWarnings(code, items) {
    const details = items.map((w) => detail(w.message));
    switch (code) {
      case "truncated":
        return "正文似乎不完整：文字在句子中间结束，或被网站截断了。请补全后再转换。";
      case "masked_text":
        return `有被遮盖的文字需要补全（${details.join("、")}）`;
      case "numbering_gap":
        return "标题编号不连续：" + items.map((w) => {
          const m = /expected (\d+) but found (.+?) in “(.+)”/.exec(w.message);
          return m ? `“${preview(m[3], 20)}”应为第 ${m[1]} 个` : w.message;
        }).join("；");
      case "chrome_removed":
        return `删除了 ${items.length} 处网页杂项文字：${details.join("、")}`;
      case "header_removed":
        return `删除了 ${items.length} 处重复的页眉：${details.slice(0, 3).join("、")}`;
      case "title_repeated":
        return "删除了正文中重复出现的标题";
      case "invalid_char_removed":
        return `删除了 ${items.length} 处控制字符或不可见字符`;
      case "uncertain":
        return "识别没有把握：" + items.map((w) => doubtText(w.message)).join("；");
      case "summary": {
        const m = /joined (\d+) wrapped line\(s\)(?: \(wrap width (\d+)\))?, restored (\d+) punctuation mark\(s\), removed (\d+)/
          .exec(items[0].message);
        if (!m) return items[0].message;
        const width = m[2] ? `（原文每行约 ${m[2]} 字）` : "";
        return `处理摘要：合并了 ${m[1]} 处断行${width}，改正了 ${m[3]} 个标点，删除了 ${m[4]} 处网页文字`;
      }
      default:
        return items.map((w) => w.message).join("；");
    }
  }

  // A warning may name the block it is about (`block`, an index into
  // blocks): the reader's `uncertain` readings do.  Those blocks are marked
  // in the tree and listed first, each with a link to its block.
  function namesBlock(w) {
    return Number.isInteger(w.block) && state.outline && w.block >= 0 && w.block < state.outline.blocks.length;
  }

  function uncertainAt(index) {
    return (state.outline.warnings || []).filter((w) => w.code === "uncertain" && w.block === index);
  }

  // The reader's doubts, as it words them (converter/reader/structure.py),
  // said in Chinese (the block's own words are shown beside them already); a
  // message not known here is shown as it comes.
  const DOUBTS = [
    [/^a sentence ended at a full line inside it: it may be two paragraphs$/, () => "一行在满行处结束了句子：这里可能是两个段落"],
    [/^it ended at a full line mid-sentence: it may go on in the next block$/, () => "在满行处断开而句子未完：可能与下一块是同一段"],
    [/^it opens with a heading marker or an ordinal: it may be a run-in heading$/, () => "以序号开头：可能是段首标题"],
    [/^a short line ending no sentence: it may be a heading or site text$/, () => "短行，不成句：可能是标题，也可能是网页文字"],
    [/^the block before it ends no sentence: the two may be one paragraph$/, () => "上一块没有结束句子：两块可能是同一段"],
    [/^it ends no sentence: it may go on in the next block$/, () => "没有结束句子：可能与下一块相连"],
    [/^“(.+)” filled its line: it may be the first line of a paragraph, not a heading$/, () => "占满一行：可能是段落的第一行，不是标题"],
    [/^“(.+)” may be numbered prose, not a heading \(its family's lead sentences are long\)$/, () => "可能是带序号的正文，不是标题（同级各条的首句较长）"],
    [/^“(.+)” has no number: it may be body text or site text, not a heading$/, () => "没有序号：可能是正文或网页文字，不是标题"],
    [/^the title is a guess: “(.+)”, not “(.+)”$/, (m) => `标题是推测的：“${m[1]}”，也可能是“${m[2]}”`],
    [/^the title is a guess among menu items: “(.+)”$/, (m) => `标题是从网页菜单中推测的：“${m[1]}”`],
    [/^a short line after the text, kept: it may be site text or the text's last words: (.+)$/, (m) => `正文后的短行已保留，可能是网页文字，也可能是正文的最后几个字：${m[1]}`],
  ];

  function doubtText(message) {
    const plain = message.replace(/^block \d+: /, "");
    for (const [pattern, say] of DOUBTS) {
      const m = pattern.exec(plain);
      if (m) return say(m);
    }
    return plain;
  }

  function uncertainItem(w) {
    const text = state.outline.blocks[w.block].text;
    return el("li", { class: "uncertain", "data-code": "uncertain", "data-testid": `warning-uncertain-${w.block}` },
      el("span", { class: "flag", text: "待核对" }), " 这一块的识别没有把握：",
      el("a", {
        href: `#block-${w.block}`,
        "data-testid": `uncertain-link-${w.block}`,
        onclick: (event) => { event.preventDefault(); goToBlock(w.block); },
        text: `“${preview(text, 20)}”`,
      }),
      `——${doubtText(w.message)}`);
  }

  function renderWarnings(warnings) {
    const groups = new Map();
    const uncertain = [];
    for (const w of warnings || []) {
      if (w.code === "uncertain" && namesBlock(w)) {
        uncertain.push(w);
        continue;
      }
      if (!groups.has(w.code)) groups.set(w.code, []);
      groups.get(w.code).push(w);
    }
    uncertain.sort((a, b) => a.block - b.block);
    const codes = [...groups.keys()].sort((a, b) => {
      const ia = ORDER.indexOf(a), ib = ORDER.indexOf(b);
      return (ia < 0 ? 50 : ia) - (ib < 0 ? 50 : ib);
    });
    const list = $("warning-list");
    list.replaceChildren(...uncertain.map(uncertainItem), ...codes.map((code) => el("li", {
      "data-code": code,
      "data-testid": `warning-${code}`,
      class: code === "truncated" || code === "masked_text" ? "important" : null,
      text: describeWarnings(code, groups.get(code)),
    })));
    $("warnings").hidden = uncertain.length + codes.length === 0;
  }

  // ----------------------------------------------------------------- tree

  function buildTree(blocks) {
    const root = { level: 0, body: [], children: [] };
    const stack = [root];
    blocks.forEach((block, index) => {
      if (block.type === "heading") {
        while (stack.length > 1 && stack[stack.length - 1].level >= block.level) stack.pop();
        const node = { index, level: block.level, body: [], children: [] };
        stack[stack.length - 1].children.push(node);
        stack.push(node);
      } else {
        stack[stack.length - 1].body.push(index);
      }
    });
    return root;
  }

  function noteFor(index) {
    const items = uncertainAt(index);
    if (!items.length) return null;
    return el("p", { class: "note", id: `note-${index}`, "data-testid": `uncertain-note-${index}` },
      el("span", { class: "flag", text: "待核对" }), ` 识别没有把握：${items.map((w) => doubtText(w.message)).join("；")}`);
  }

  function describedBy(index, ...more) {
    const ids = [...more, uncertainAt(index).length ? `note-${index}` : null].filter(Boolean);
    return ids.length ? ids.join(" ") : null;
  }

  function kindSelect(index) {
    const block = state.outline.blocks[index];
    const select = el("select", {
      "data-testid": `block-type-${index}`,
      "aria-label": `类型：${preview(block.text, 16)}`,
      "aria-describedby": describedBy(index),
      onchange: (event) => changeKind(index, event.target.value),
    });
    for (const [value, label] of KINDS) {
      select.append(el("option", { value, selected: value === kindOf(block), text: label }));
    }
    return select;
  }

  function levelSelect(index) {
    const block = state.outline.blocks[index];
    const select = el("select", {
      "data-testid": `block-level-${index}`,
      "aria-label": `级别：${preview(block.text, 16)}`,
      onchange: (event) => {
        state.outline.blocks[index].level = Number(event.target.value);
        render();
      },
    });
    for (let level = 1; level <= 6; level++) {
      select.append(el("option", { value: String(level), selected: level === block.level, text: `${LEVEL_NAMES[level]}标题` }));
    }
    return select;
  }

  function mergeButton(index) {
    if (index + 1 >= state.outline.blocks.length) return null;
    return el("button", {
      type: "button", class: "small", "data-testid": `block-merge-${index}`,
      "aria-label": `合并下一块：把“${preview(state.outline.blocks[index + 1].text, 12)}”接在这一块后面`,
      onclick: () => mergeByButton(index),
      text: "合并下一块",
    });
  }

  // A body block shows its text; 修改文字 (or a click on the text) opens an
  // editor in its place: Ctrl+Enter saves, Escape cancels, Alt+Enter splits
  // at the caret, Delete at the end joins the next block, Backspace at the
  // start joins the previous one.
  function bodyRow(index) {
    const block = state.outline.blocks[index];
    const editing = state.editing && state.editing.index === index;
    const item = el("li", {
      class: `block${uncertainAt(index).length ? " uncertain" : ""}${editing ? " editing" : ""}`,
      id: `block-${index}`,
      "data-testid": "block-item", "data-index": String(index), "data-kind": kindOf(block),
    }, kindSelect(index));
    if (editing) {
      item.append(editor(index));
    } else {
      item.append(
        el("span", { class: "preview", "data-testid": `block-preview-${index}`, text: preview(block.text, 60),
          onclick: () => startEdit(index) }),
        el("span", { class: "block-actions" },
          el("button", {
            type: "button", class: "small", "data-testid": `block-edit-${index}`,
            "aria-label": `修改文字：${preview(block.text, 16)}`, "aria-describedby": describedBy(index),
            onclick: () => startEdit(index), text: "修改文字",
          }),
          mergeButton(index)));
    }
    const note = noteFor(index);
    if (note) item.append(note);
    return item;
  }

  function editor(index) {
    const area = el("textarea", {
      class: "block-editor", rows: "4", spellcheck: "false",
      "data-testid": `block-editor-${index}`,
      "aria-label": `修改这一块的文字：${preview(state.outline.blocks[index].text, 16)}`,
      "aria-describedby": describedBy(index, "edit-keys"),
      oninput: (event) => { state.editing.text = event.target.value; },
      onkeydown: (event) => editorKey(event, index),
    });
    area.value = state.editing.text;
    return el("div", { class: "editor" }, area,
      el("p", { class: "hint", id: "edit-keys",
        text: "Ctrl+Enter 保存，Esc 取消；Alt+Enter 在光标处分段；在末尾按 Delete 与下一块合并，在开头按退格与上一块合并。" }),
      el("div", { class: "block-actions" },
        el("button", { type: "button", class: "small primary", "data-testid": `block-save-${index}`,
          onclick: () => saveEdit(), text: "保存" }),
        el("button", { type: "button", class: "small", "data-testid": `block-split-${index}`,
          onclick: () => splitEditor(index), text: "在光标处分段" }),
        el("button", { type: "button", class: "small", "data-testid": `block-cancel-${index}`,
          onclick: () => cancelEdit(), text: "取消" })));
  }

  function plainKey(event) {
    return !event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey;
  }

  function caretAt(node, where) {
    if (node.selectionStart !== node.selectionEnd) return false;
    return where === "start" ? node.selectionStart === 0 : node.selectionStart === node.value.length;
  }

  function editorKey(event, index) {
    if (event.isComposing || event.keyCode === 229) return;  // an input method is composing
    const node = event.target;
    if (event.key === "Escape") {
      event.preventDefault();
      cancelEdit();
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      saveEdit();
    } else if (event.key === "Enter" && event.altKey) {
      event.preventDefault();
      splitEditor(index);
    } else if (event.key === "Enter") {
      event.preventDefault();  // a block is one paragraph: no line breaks inside it
      say("一块文字里不换行：Ctrl+Enter 保存，Alt+Enter 在光标处分成两段。");
    } else if (event.key === "Delete" && plainKey(event) && caretAt(node, "end")
               && index + 1 < state.outline.blocks.length) {
      event.preventDefault();
      state.outline.blocks[index].text = oneLine(node.value);
      joinAndFocus(index);
    } else if (event.key === "Backspace" && plainKey(event) && caretAt(node, "start") && index > 0) {
      event.preventDefault();
      state.outline.blocks[index].text = oneLine(node.value);
      joinAndFocus(index - 1);
    }
  }

  function headingKey(event, index) {
    if (event.isComposing || event.keyCode === 229) return;
    const node = event.target;
    if (event.key === "Enter" && event.altKey) {
      event.preventDefault();
      splitAt(index, node.value, node.selectionStart);
    } else if (event.key === "Enter") {
      event.preventDefault();  // a heading is one line
    } else if (event.key === "Delete" && plainKey(event) && caretAt(node, "end")
               && index + 1 < state.outline.blocks.length) {
      event.preventDefault();
      joinAndFocus(index);
    } else if (event.key === "Backspace" && plainKey(event) && caretAt(node, "start") && index > 0) {
      event.preventDefault();
      joinAndFocus(index - 1);
    }
  }

  function bodyList(owner, indices, label) {
    const blocks = state.outline.blocks;
    const paragraphs = indices.filter((i) => kindOf(blocks[i]) === "paragraph").length;
    const doubtful = indices.filter((i) => uncertainAt(i).length).length;
    const editing = state.editing && indices.includes(state.editing.index);
    return el("details", {
      class: "body", "data-owner": owner,
      open: editing || state.open.has(owner) || (state.fresh && doubtful > 0),  // first shown: open where to check
      ontoggle: (event) => { if (event.target.open) state.open.add(owner); else state.open.delete(owner); },
    },
      el("summary", { text: `${label}：正文 ${paragraphs} 段${indices.length > paragraphs ? `，其他 ${indices.length - paragraphs} 块` : ""}`
        + (doubtful ? `，${doubtful} 块待核对` : "") }),
      el("ul", { class: "blocks" }, ...indices.map(bodyRow)));
  }

  function headingItem(node) {
    const block = state.outline.blocks[node.index];
    const paragraphs = node.body.filter((i) => kindOf(state.outline.blocks[i]) === "paragraph").length;
    const textInput = el("textarea", {
      rows: String(Math.min(4, Math.max(1, Math.ceil(block.text.length / 16)))),  // field-sizing fits it where supported
      class: "heading-text",
      "data-testid": `block-text-${node.index}`,
      "aria-label": `${LEVEL_NAMES[block.level]}标题的文字`,
      "aria-describedby": describedBy(node.index, "heading-keys"),
      oninput: (event) => { state.outline.blocks[node.index].text = event.target.value.replace(/\s*\n\s*/g, ""); },
      onkeydown: (event) => headingKey(event, node.index),
    });
    textInput.value = block.text;
    const item = el("li", {
      class: `heading level-${node.level}${uncertainAt(node.index).length ? " uncertain" : ""}`,
      id: `block-${node.index}`,
      "data-testid": "heading-item",
      "data-level": String(node.level),
      "data-index": String(node.index),
    },
      el("div", { class: "row" }, kindSelect(node.index), levelSelect(node.index),
        el("span", { class: "count", "data-testid": `para-count-${node.index}`, text: `正文 ${paragraphs} 段` }),
        textInput,
        el("span", { class: "block-actions" },
          el("button", { type: "button", class: "small", "data-testid": `block-split-${node.index}`,
            "aria-label": `在光标处分段：${preview(block.text, 12)}`,
            onclick: () => {
              const area = find(`block-text-${node.index}`);
              splitAt(node.index, area.value, area.selectionStart);
            },
            text: "在光标处分段" }),
          mergeButton(node.index))),
      noteFor(node.index));
    if (node.body.length) item.append(bodyList(String(node.index), node.body, "本节内容"));
    if (node.children.length) item.append(el("ul", { class: "headings" }, ...node.children.map(headingItem)));
    return item;
  }

  function summaryText(blocks) {
    const counts = [0, 0, 0, 0, 0, 0, 0];
    let paragraphs = 0;
    for (const b of blocks) {
      if (b.type === "heading") counts[b.level] += 1;
      else if (kindOf(b) === "paragraph") paragraphs += 1;
    }
    const parts = [];
    for (let level = 1; level <= 6; level++) {
      if (counts[level]) parts.push(`${LEVEL_NAMES[level]}标题 ${counts[level]} 个`);
    }
    parts.push(`正文 ${paragraphs} 段`);
    return parts.join("、");
  }

  function find(testid) {
    return $("tree").querySelector(`[data-testid="${testid}"]`);
  }

  function reveal(node) {
    const details = node && node.closest("details");
    if (details) details.open = true;
    return node;
  }

  // Rebuild the tree from the outline; the element that had focus (found
  // again by its test id) keeps it, with its caret, and open sections stay open.
  function render() {
    const active = document.activeElement;
    const activeId = active && active.getAttribute("data-testid");
    const caret = active && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
    const container = $("tree");
    const tree = buildTree(state.outline.blocks);
    const parts = [];
    if (tree.body.length) {
      parts.push(el("div", { class: "front", "data-testid": "front-matter" },
        el("h4", { text: "开头部分（标题之前）" }),
        el("ul", { class: "blocks" }, ...tree.body.map(bodyRow))));
    }
    if (tree.children.length) parts.push(el("ul", { class: "headings top" }, ...tree.children.map(headingItem)));
    else parts.push(el("p", { class: "hint", text: "没有识别出标题。可以把某一段的类型改成“标题”。" }));
    parts.push(el("p", { class: "hint", id: "heading-keys", hidden: true,
      text: "Alt+Enter 在光标处把标题分成标题和一段正文；在末尾按 Delete 与下一块合并，在开头按退格与上一块合并。" }));
    container.replaceChildren(...parts);
    $("tree-summary").textContent = `识别到：${summaryText(state.outline.blocks)}`;
    renderWarnings(state.outline.warnings);
    state.fresh = false;
    if (activeId) {
      const again = reveal(container.querySelector(`[data-testid="${activeId}"]`));
      if (again) {
        again.focus();
        if (caret && typeof again.selectionStart === "number") again.setSelectionRange(caret[0], caret[1]);
      }
    }
  }

  function focusOn(testid, caret) {
    const node = reveal(find(testid));
    if (!node) return;
    node.focus();
    if (caret !== undefined) node.setSelectionRange(caret, caret);
  }

  function goToBlock(index) {
    const select = reveal(find(`block-type-${index}`));
    if (!select) return;
    select.scrollIntoView({ block: "center" });
    select.focus();
  }

  function changeKind(index, kind) {
    commitDraft();
    const blocks = state.outline.blocks;
    const text = blocks[index].text;
    if (kind === "heading") {
      let level = 1;
      for (let j = index - 1; j >= 0; j--) if (blocks[j].type === "heading") { level = blocks[j].level; break; }
      blocks[index] = { type: "heading", level, text, run_in: false };
    } else if (kind === "salutation") {
      blocks[index] = { type: "salutation", text };
    } else if (kind === "paragraph") {
      blocks[index] = { type: "paragraph", text };
    } else {
      blocks[index] = { type: "paragraph", text, role: kind };
    }
    render();
  }

  // ------------------------------------------------- edit, split and merge

  // Text typed or pasted into a block is one paragraph: a line break in it
  // goes, as the reader joins wrapped lines (a space stays between Latin words).
  function oneLine(text) {
    return join(...text.trim().split(/\s*\n\s*/));
  }

  function join(...parts) {
    return parts.filter((p) => p !== "").reduce((a, b) => (/[A-Za-z]$/.test(a) && /^[A-Za-z]/.test(b) ? `${a} ${b}` : a + b), "");
  }

  // After blocks were inserted or removed: keep the warnings' block indices
  // (and the open sections) on the same text.
  function reindex(map) {
    for (const w of state.outline.warnings || []) {
      if (!Number.isInteger(w.block)) continue;
      const to = map(w.block);
      if (to === null) delete w.block;
      else w.block = to;
    }
    state.open = new Set([...state.open].map((owner) => map(Number(owner))).filter((i) => i !== null).map(String));
  }

  // The open editor's text, kept when the person goes on to something else
  // (another block, a type, a merge, 转换); an emptied text is only
  // removed by an explicit save.
  function commitDraft() {
    if (!state.editing) return;
    const value = oneLine(state.editing.text);
    if (value) state.outline.blocks[state.editing.index].text = value;
    state.editing = null;
  }

  function startEdit(index) {
    if (state.editing && state.editing.index !== index) commitDraft();
    state.editing = { index, text: state.outline.blocks[index].text };
    render();
    focusOn(`block-editor-${index}`, state.editing.text.length);
  }

  function cancelEdit() {
    if (!state.editing) return;
    const { index } = state.editing;
    state.editing = null;
    render();
    focusOn(`block-edit-${index}`);
    say("已取消修改。");
  }

  // Save (the button, Ctrl+Enter) the open editor's text.  Saving an empty
  // text removes the block (site text the reader kept, say).
  function saveEdit() {
    if (!state.editing) return;
    const { index, text } = state.editing;
    const blocks = state.outline.blocks;
    const value = oneLine(text);
    state.editing = null;
    if (!value) {
      const gone = blocks[index].text;
      blocks.splice(index, 1);
      reindex((b) => (b === index ? null : b > index ? b - 1 : b));
      render();
      const next = Math.min(index, blocks.length - 1);
      if (next >= 0) focusOn(`block-type-${next}`);
      say(`已删除这一块：“${preview(gone, 16)}”`);
      return;
    }
    const changed = value !== blocks[index].text;
    blocks[index].text = value;
    render();
    focusOn(`block-edit-${index}`);
    say(changed ? `已保存：“${preview(value, 16)}”` : "文字没有改动。");
  }

  function splitEditor(index) {
    const area = find(`block-editor-${index}`);
    splitAt(index, area.value, area.selectionStart);
  }

  // Split block ``index`` (its text now ``text``) at ``caret``: the first
  // part stays, the rest becomes the next block (a paragraph of the same
  // role; a heading's or salutation's rest is body text), opened for editing
  // with the caret at its start.  Only the spaces at the cut go.
  function splitAt(index, text, caret) {
    const blocks = state.outline.blocks;
    const before = oneLine(text.slice(0, caret));
    const after = oneLine(text.slice(caret));
    if (!before || !after) {
      say("请先把光标放在要分开的地方（不在开头或末尾），再分段。");
      return;
    }
    const first = blocks[index];
    first.text = before;
    const second = { type: "paragraph", text: after };
    if (first.type === "paragraph" && first.role) second.role = first.role;
    blocks.splice(index + 1, 0, second);
    reindex((b) => (b > index ? b + 1 : b));
    state.editing = { index: index + 1, text: after };
    render();
    focusOn(`block-editor-${index + 1}`, 0);
    say(`已在光标处分成两段。后一段：“${preview(after, 16)}”`);
  }

  // Join block ``index + 1`` onto block ``index`` (which keeps its type);
  // returns where the joined text starts.
  function merge(index) {
    const blocks = state.outline.blocks;
    const a = blocks[index];
    const b = blocks[index + 1];
    const text = join(a.text, b.text);
    const joint = text.length - b.text.length;
    a.text = text;
    if (a.type === "heading") a.run_in = b.type === "heading" ? Boolean(b.run_in) : false;
    blocks.splice(index + 1, 1);
    reindex((i) => (i > index ? i - 1 : i));
    return joint;
  }

  // From inside a text (Delete at the end, Backspace at the start): join and
  // keep typing in the joined block, the caret where the two met.
  function joinAndFocus(index) {
    state.editing = null;
    const joint = merge(index);
    const block = state.outline.blocks[index];
    if (block.type !== "heading") state.editing = { index, text: block.text };
    render();
    focusOn(block.type === "heading" ? `block-text-${index}` : `block-editor-${index}`, joint);
    say(`已合并两块：“${preview(block.text, 16)}”`);
  }

  function mergeByButton(index) {
    commitDraft();
    if (index + 1 >= state.outline.blocks.length) return;
    merge(index);
    render();
    const hasNext = index + 1 < state.outline.blocks.length;
    const block = state.outline.blocks[index];
    focusOn(hasNext ? `block-merge-${index}` : (block.type === "heading" ? `block-text-${index}` : `block-edit-${index}`));
    say(`已与下一块合并：“${preview(block.text, 16)}”`);
  }

  // --------------------------------------------------------------- outline

  function showOutline(outline) {
    state.outline = outline;
    state.mode = "single";
    outline.meta = outline.meta || {};
    $("meta-title").value = outline.title || "";
    $("meta-speaker").value = outline.meta.speaker || "";
    $("meta-date").value = outline.meta.date || "";
    state.editing = null;  // { index, text }: the block whose text is being edited
    state.open = new Set();  // the sections (data-owner: a heading's index) whose body list is open
    state.fresh = true;
    $("tree").replaceChildren();
    render();
    $("outline-section").hidden = false;
    $("convert-section").hidden = false;
    $("print-options").hidden = true;
    $("batch").hidden = true;
    $("step-outline").focus();
  }

  function setMeta(key, value) {
    if (!state.outline) return;
    if (key === "title") state.outline.title = value;
    else if (value.trim()) state.outline.meta[key] = value;
    else delete state.outline.meta[key];
  }

  async function detectText() {
    showError("");
    const text = $("input-text").value;
    if (!text.trim()) {
      showError("请先把讲稿粘贴到上面的文本框，或者选择文件。");
      $("input-text").focus();
      return;
    }
    await readOutline(new Blob([text], { type: "text/plain;charset=utf-8" }), null);
  }

  async function readOutline(body, form) {
    busy(true, "正在识别结构……");
    try {
      const res = await api("/v1/outline", {
        method: "POST",
        headers: form ? { "Accept-Language": "zh-CN" } : { "Content-Type": "text/plain; charset=utf-8", "Accept-Language": "zh-CN" },
        body: form || body,
      });
      if (!res.ok) {
        showError(await errorText(res));
        say("");
        return;
      }
      const outline = await res.json();
      showOutline(outline);
      say(`识别完成。${summaryText(outline.blocks)}。请检查下面的结构。`);
    } catch (e) {
      showError("无法连接服务器，请稍后再试。");
      say("");
    } finally {
      busy(false);
    }
  }

  async function filesChosen() {
    showError("");
    const files = [...$("input-files").files];
    if (!files.length) return;
    if (files.length === 1) {
      const form = new FormData();
      form.append("file", files[0], files[0].name);
      await readOutline(null, form);
      return;
    }
    state.mode = "batch";
    state.files = files;
    $("outline-section").hidden = true;
    $("convert-section").hidden = false;
    $("print-options").hidden = false;
    say(`已选择 ${files.length} 个文件。选择格式后点“转换”，批量转换完成后下载 zip。`);
    $("step-convert").focus();
  }

  // --------------------------------------------------------------- convert

  function chosen() {
    const formats = [...document.querySelectorAll('input[name="format"]:checked')].map((x) => x.value);
    const theme = (document.querySelector('input[name="theme"]:checked') || {}).value || "official";
    const truncationNote = $("truncation-note").checked;
    return { formats, theme, truncationNote };
  }

  function addDownload(href, name, size) {
    $("downloads-heading").hidden = false;
    const link = el("a", { href, download: name, "data-testid": "download-link", text: `下载 ${name}` });
    const item = el("li", {}, link, size ? el("span", { class: "size", text: `（${sizeText(size)}）` }) : null);
    $("downloads").prepend(item);
    link.focus();
  }

  async function convert() {
    showError("");
    const { formats, theme, truncationNote } = chosen();
    if (!formats.length) {
      showError("请至少选择一种格式。");
      return;
    }
    if (state.mode === "batch") {
      await startJob(formats, theme, truncationNote);
      return;
    }
    if (!state.outline) {
      showError("请先输入讲稿并识别结构。");
      return;
    }
    if (state.editing) {  // the text being edited is what the person wants converted
      commitDraft();
      render();
    }
    busy(true, "正在转换……");
    try {
      const res = await api("/v1/convert", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept-Language": "zh-CN" },
        body: JSON.stringify({ outline: state.outline, to: formats.join(","), theme, truncation_note: truncationNote }),
      });
      if (!res.ok) {
        showError(await errorText(res));
        say("");
        return;
      }
      const blob = await res.blob();
      const fallback = formats.length > 1 ? "讲稿.zip" : `讲稿.${formats[0]}`;
      const name = filenameFrom(res.headers.get("Content-Disposition"), fallback);
      say(`转换完成：${name}。按回车键下载。`);
      addDownload(URL.createObjectURL(blob), name, blob.size);
    } catch (e) {
      showError("无法连接服务器，请稍后再试。");
      say("");
    } finally {
      busy(false);
    }
  }

  const STATE_NAMES = { queued: "排队中", running: "转换中", done: "完成", failed: "失败" };

  async function startJob(formats, theme, truncationNote) {
    const form = new FormData();
    for (const file of state.files) form.append("files", file, file.name);
    form.append("to", formats.join(","));
    form.append("theme", theme);
    form.append("print", $("print").checked || $("booklet").checked ? "true" : "false");
    form.append("booklet", $("booklet").checked ? "true" : "false");
    form.append("truncation_note", truncationNote ? "true" : "false");
    busy(true, "正在上传……");
    let res;
    try {
      res = await api("/v1/jobs", { method: "POST", body: form });
    } catch (e) {
      busy(false);
      showError("无法连接服务器，请稍后再试。");
      return;
    }
    if (res.status !== 202) {
      busy(false);
      showError(await errorText(res));
      say("");
      return;
    }
    const { id } = await res.json();
    $("batch").hidden = false;
    say("已开始批量转换……");
    poll(id);
  }

  async function poll(id) {
    try {
      const res = await api(`/v1/jobs/${id}`);
      if (!res.ok) {
        busy(false);
        showError(await errorText(res));
        return;
      }
      const job = await res.json();
      $("batch-progress").value = job.progress;
      $("batch-files").replaceChildren(...job.files.map((f) => el("li", { "data-state": f.state },
        `${f.name}：${STATE_NAMES[f.state] || f.state}`, f.error ? `（${f.error}）` : "")));
      if (job.state === "done" || job.state === "failed") {
        busy(false);
        const failed = job.files.filter((f) => f.state === "failed").length;
        say(failed ? `批量转换结束，${failed} 个文件失败。` : "批量转换完成。按回车键下载 zip。");
        // Fetched rather than linked: a link would not carry the token.
        const result = await api(`/v1/jobs/${id}/result`);
        if (!result.ok) {
          showError(await errorText(result));
          return;
        }
        const blob = await result.blob();
        addDownload(URL.createObjectURL(blob), `转换结果-${id.slice(0, 8)}.zip`, blob.size);
        return;
      }
    } catch (e) {
      /* a dropped poll: try again */
    }
    state.polling = setTimeout(() => poll(id), 700);
  }

  // ----------------------------------------------------------------- wire

  document.addEventListener("DOMContentLoaded", () => {
    $("detect").addEventListener("click", detectText);
    $("input-files").addEventListener("change", filesChosen);
    $("convert").addEventListener("click", convert);
    $("signin-button").addEventListener("click", signIn);
    $("token-input").addEventListener("keydown", (event) => { if (event.key === "Enter") signIn(); });
    for (const key of ["title", "speaker", "date"]) {
      $(`meta-${key}`).addEventListener("input", (event) => setMeta(key, event.target.value.replace(/\s*\n\s*/g, "")));
    }
    $("meta-title").addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
    for (const id of ["step-outline", "step-convert"]) $(id).setAttribute("tabindex", "-1");
  });
})();
