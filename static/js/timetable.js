// The timetable editor (templates/pages/timetable_edit.html): move sessions
// by dragging (Pointer Events) or with the keyboard, and post each move to
// the server, which checks it like the session form (app/timetable.go).
// Without this script the page still works: every tile is a link to the
// session's form.
(function () {
  'use strict';
  var editor = document.getElementById('tt-editor');
  if (!editor) return;
  var SLOT = 5; // minutes: the grid's rows, and the steps of every move
  // Times here are real minutes since the grid's first instant (data-from),
  // as the grid's rows are: on a night the clocks change, wall-clock
  // minutes would be an hour off. label() turns them into the summit's
  // wall-clock time, with its zone on such a day (02:30 CEST, 02:30 CET).
  var live = document.getElementById('tt-live');
  var dialog = document.getElementById('tt-confirm');
  var cur = null;        // the tile being moved: {tile, origin, t: target}
  var suppressClick = false;
  var busy = false;      // a move is being saved: no other starts meanwhile

  function grid() { return document.getElementById('tt-grid'); }
  function side() { return document.getElementById('tt-side'); }
  function instant(m) { return new Date(+grid().dataset.from + m * 60000); }
  function label(m) {
    var g = grid(), opts = { timeZone: g.dataset.tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    if (g.dataset.shift) opts.timeZoneName = 'short';
    var p = {};
    new Intl.DateTimeFormat('en-GB', opts).formatToParts(instant(m)).forEach(function (x) { p[x.type] = x.value; });
    return p.hour + ':' + p.minute + (p.timeZoneName ? ' ' + p.timeZoneName : '');
  }
  function say(msg) { live.textContent = ''; window.setTimeout(function () { live.textContent = msg; }, 30); }

  function rooms() {
    var g = grid();
    if (!g) return [];
    return Array.prototype.map.call(g.querySelectorAll('.tt-room'), function (el) {
      return { id: el.dataset.room, first: +el.dataset.first, lanes: +el.dataset.lanes, name: el.textContent.trim(), el: el };
    });
  }
  function roomIndex(id) {
    var rs = rooms();
    for (var i = 0; i < rs.length; i++) if (rs[i].id === (id || '')) return i;
    return -1;
  }
  // The grid's geometry: its first minute, its last, and a row's height.
  function geometry() {
    var g = grid(), first = g.querySelector('.tt-time');
    var r = first.getBoundingClientRect();
    return { from: 0, to: (+g.dataset.rows) * SLOT, top: r.top, rowH: r.height / 6 };
  }

  function targetOf(tile) {
    var start = tile.dataset.at === undefined ? 0 : +tile.dataset.at; // the side list's only keep a length
    return { room: tile.dataset.room || '', start: start, end: start + (+tile.dataset.len), off: tile.dataset.unscheduled === '1' };
  }
  function describe(tile, t) {
    var title = '“' + tile.dataset.title + '”';
    if (t.off) return title + ': not scheduled.';
    var rs = rooms(), i = roomIndex(t.room);
    var room = i >= 0 ? rs[i].name : 'every room';
    return title + ': ' + room + ', ' + label(t.start) + ' to ' + label(t.end) + ' (' + (t.end - t.start) + ' minutes).';
  }

  // place shows the tile where the target says: on the grid, across the
  // whole room's width while it moves, or in the side list.
  function place(tile, t) {
    var when = tile.querySelector('.tt-when');
    mark(t.off ? null : t.room);
    if (t.off) {
      if (tile.dataset.unscheduled !== '1') side().querySelector('.tt-unscheduled').appendChild(tile);
      tile.style.gridRow = tile.style.gridColumn = '';
      if (when) when.textContent = (t.end - t.start) + ' min · not scheduled';
      return;
    }
    var g = grid(), geo = geometry(), rs = rooms(), i = roomIndex(t.room);
    if (tile.parentNode !== g) g.appendChild(tile);
    if (i < 0 && tile.classList.contains('full-span')) { // a break for everyone: across every room
      var last = rs[rs.length - 1];
      tile.style.gridColumn = '2 / ' + (last.first + last.lanes);
    } else {
      var r = rs[Math.max(0, i)];
      tile.style.gridColumn = r.first + ' / span ' + r.lanes;
    }
    tile.style.gridRow = (2 + (t.start - geo.from) / SLOT) + ' / ' + (2 + (t.end - geo.from) / SLOT);
    if (when) when.textContent = label(t.start) + '–' + label(t.end);
  }

  // mark shows which room a moving session is over (null: none).
  function mark(room) {
    rooms().forEach(function (r) { r.el.classList.toggle('is-target', room !== null && r.id === room); });
  }

  function clamp(t) {
    var geo = geometry(), len = Math.max(SLOT, t.end - t.start);
    if (t.start < geo.from) t.start = geo.from;
    if (t.start + len > geo.to) t.start = geo.to - len;
    t.end = t.start + len;
    return t;
  }

  function begin(tile) {
    clearReason();
    if (cur && cur.tile !== tile) restore();
    if (cur) return cur;
    cur = { tile: tile, t: targetOf(tile), origin: { parent: tile.parentNode, next: tile.nextSibling, style: tile.getAttribute('style'),
      when: (tile.querySelector('.tt-when') || {}).textContent, target: targetOf(tile) } };
    return cur;
  }
  // restore puts the tile back where it was before the move began.
  function restore() {
    if (!cur) return;
    var tile = cur.tile, o = cur.origin, focused = document.activeElement === tile;
    o.parent.insertBefore(tile, o.next);
    if (o.style === null) tile.removeAttribute('style'); else tile.setAttribute('style', o.style);
    var when = tile.querySelector('.tt-when');
    if (when && o.when !== undefined) when.textContent = o.when;
    tile.classList.remove('is-selected', 'is-dragging', 'is-saving');
    side().classList.remove('is-over');
    mark(null);
    cur = null;
    if (focused) tile.focus();
  }
  function changed(a, b) { return a.off !== b.off || a.room !== b.room || a.start !== b.start || a.end !== b.end; }

  // --- Saving ---

  function post(tile, t, confirm) {
    var body = new URLSearchParams();
    body.set('_csrf', editor.dataset.csrf);
    body.set('version', tile.dataset.version);
    body.set('room_id', t.room);
    if (t.off) body.set('unschedule', '1');
    else {
      body.set('starts_at', instant(t.start).toISOString());
      body.set('ends_at', instant(t.end).toISOString());
    }
    if (confirm) body.set('confirm', '1');
    return fetch(tile.dataset.move, {
      method: 'POST', body: body, credentials: 'same-origin',
      headers: { 'Accept': 'application/json', 'X-CSRF-Token': editor.dataset.csrf }
    }).then(function (res) {
      return res.json().catch(function () { return { error: 'The server did not answer as expected (' + res.status + '); nothing was saved. Reload the page.' }; });
    });
  }

  function save(confirm) {
    if (!cur) return;
    var tile = cur.tile, t = cur.t, id = tile.dataset.id;
    if (!changed(t, cur.origin.target)) {
      restore();
      say('Nothing changed.');
      return;
    }
    tile.classList.remove('is-dragging');
    tile.classList.add('is-saving');
    say('Saving ' + describe(tile, t));
    busy = true;
    post(tile, t, confirm).then(function (a) {
      busy = false;
      if (a.confirm) {
        ask(a).then(function (yes) {
          if (yes) { save(true); return; }
          restore();
          showReason(tile, 'Not moved: it stays where it was.', false);
        });
        return;
      }
      if (a.saved || a.refresh) { // the grid is reloaded from the server before anything else moves
        var msg = a.saved ? a.message : a.error;
        cur = null;
        busy = true;
        return refresh().then(function () {
          busy = false;
          showReason(document.getElementById('tile-' + id), msg, !!a.saved);
        }, function () {
          busy = false;
          showReason(null, msg + ' Reload the page to see the timetable as it is now.', !!a.saved);
        });
      }
      restore();
      showReason(tile, a.error || 'Not saved.', false);
    }).catch(function () {
      busy = false;
      restore();
      showReason(tile, 'The server could not be reached; nothing was saved.', false);
    });
  }

  // ask shows what the move does to people and resolves to the answer.
  function ask(a) {
    return new Promise(function (resolve) {
      dialog.querySelector('.tt-preview').innerHTML = a.preview;
      var yes = dialog.querySelector('[data-answer="yes"]'), no = dialog.querySelector('[data-answer="no"]');
      yes.textContent = a.button || 'Confirm';
      function done(v) {
        yes.onclick = no.onclick = dialog.oncancel = null;
        dialog.close();
        resolve(v);
      }
      yes.onclick = function () { done(true); };
      no.onclick = function () { done(false); };
      dialog.oncancel = function (e) { e.preventDefault(); done(false); };
      dialog.showModal();
      yes.focus();
    });
  }

  // refresh reloads the editor's grid, side list and day list from the server.
  function refresh() {
    return fetch(window.location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (res) { return res.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        ['tt-editor', 'tt-day-list'].forEach(function (id) {
          var fresh = doc.getElementById(id), old = document.getElementById(id);
          if (fresh && old) old.innerHTML = fresh.innerHTML;
        });
        if (doc.getElementById('tt-editor')) editor.dataset.csrf = doc.getElementById('tt-editor').dataset.csrf;
      });
  }

  // showReason writes a message beside the tile (and for screen readers).
  function showReason(tile, msg, ok) {
    clearReason();
    say(msg);
    var p = document.createElement('p');
    p.className = 'tt-reason' + (ok ? ' is-saved' : '');
    p.id = 'tt-reason';
    p.setAttribute('role', ok ? 'status' : 'alert');
    p.textContent = msg;
    if (tile && tile.parentNode === grid()) {
      var row = (tile.style.gridRow || '').split('/');
      p.style.gridColumn = tile.style.gridColumn;
      p.style.gridRow = (parseInt(row[1] || row[0], 10) || 2) + ' / span 10';
      grid().appendChild(p);
    } else if (tile) {
      tile.parentNode.insertBefore(p, tile.nextSibling);
    } else {
      editor.insertBefore(p, editor.firstChild);
    }
    if (tile) tile.focus({ preventScroll: true });
    p.scrollIntoView({ block: 'nearest' });
  }
  function clearReason() {
    var old = document.getElementById('tt-reason');
    if (old) old.remove();
  }

  // --- Dragging ---
  // A mouse drags a tile from anywhere on it. A finger (or pen) drags only
  // by a tile's handles — its grip (⠿) and its lower edge, which are
  // touch-action: none — so anywhere else the page and the grid scroll.

  var drag = null;
  editor.addEventListener('pointerdown', function (e) {
    var tile = e.target.closest('.tt-session[data-id]');
    if (!tile || e.button !== 0 || !grid() || busy) return;
    if (e.pointerType !== 'mouse' && !e.target.closest('.tt-grip, .tt-resize')) return;
    drag = { tile: tile, x: e.clientX, y: e.clientY, resize: !!e.target.closest('.tt-resize'), started: false,
      grabY: e.clientY - tile.getBoundingClientRect().top, id: e.pointerId };
  });
  document.addEventListener('pointermove', function (e) {
    if (!drag || e.pointerId !== drag.id) return;
    if (!drag.started) {
      if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) < 6) return;
      drag.started = true;
      begin(drag.tile);
      drag.tile.classList.add('is-dragging');
      try { drag.tile.setPointerCapture(e.pointerId); } catch (err) { /* not every pointer can be captured */ }
    }
    e.preventDefault();
    // Near the grid's top or bottom edge, the grid scrolls on.
    var wrap = grid().closest('.timetable-wrap'), wb = wrap.getBoundingClientRect();
    if (e.clientX >= wb.left && e.clientX <= wb.right) {
      if (e.clientY > wb.bottom - 40 && e.clientY <= wb.bottom) wrap.scrollTop += 24;
      else if (e.clientY < wb.top + 60 && e.clientY >= wb.top) wrap.scrollTop -= 24;
    }
    // And sideways near its left or right edge (a phone shows a room or two).
    if (e.clientY >= wb.top && e.clientY <= wb.bottom && wrap.scrollWidth > wrap.clientWidth) {
      if (e.clientX > wb.right - 30 && e.clientX <= wb.right) wrap.scrollLeft += 24;
      else if (e.clientX < wb.left + 90 && e.clientX >= wb.left) wrap.scrollLeft -= 24;
    }
    var t = cur.t, geo = geometry(), sb = side().getBoundingClientRect();
    if (drag.resize) {
      var top = geo.top + (t.start - geo.from) / SLOT * geo.rowH;
      t.end = Math.max(t.start + SLOT, t.start + Math.round((e.clientY - top) / geo.rowH) * SLOT);
      if (t.end > geo.to) t.end = geo.to;
    } else if (e.clientX >= sb.left && e.clientX <= sb.right && e.clientY >= sb.top && e.clientY <= sb.bottom) {
      t.off = true;
      side().classList.add('is-over');
      mark(null);
      return; // the tile stays under the pointer's last grid place until the drop
    } else {
      side().classList.remove('is-over');
      var rs = rooms(), best = 0, bestD = Infinity;
      rs.forEach(function (r, i) {
        var b = r.el.getBoundingClientRect();
        var d = e.clientX < b.left ? b.left - e.clientX : e.clientX > b.right ? e.clientX - b.right : 0;
        if (d < bestD) { best = i; bestD = d; }
      });
      var len = t.end - t.start;
      t.off = false;
      // A break for everyone moves in time only; its form gives it a room.
      if (!cur.tile.classList.contains('full-span')) t.room = rs[best].id;
      t.start = geo.from + Math.round((e.clientY - drag.grabY - geo.top) / geo.rowH) * SLOT;
      t.end = t.start + len;
      clamp(t);
    }
    place(cur.tile, t);
  });
  function endDrag(e, cancelled) {
    if (!drag || e.pointerId !== drag.id) return;
    var started = drag.started;
    drag = null;
    if (!started) return;
    suppressClick = true;
    window.setTimeout(function () { suppressClick = false; }, 0);
    side().classList.remove('is-over');
    if (cancelled) { restore(); return; }
    if (cur && cur.t.off) place(cur.tile, cur.t);
    save(false);
  }
  document.addEventListener('pointerup', function (e) { endDrag(e, false); });
  document.addEventListener('pointercancel', function (e) { endDrag(e, true); });
  // A drag is not a click: the tile's link is not followed after one, nor
  // after a tap on its grip (a handle, not a link).
  editor.addEventListener('click', function (e) {
    if (e.target.closest('.tt-grip')) { e.preventDefault(); return; }
    if (suppressClick && e.target.closest('.tt-session')) { e.preventDefault(); e.stopPropagation(); suppressClick = false; }
  }, true);
  editor.addEventListener('dragstart', function (e) { if (e.target.closest && e.target.closest('.tt-session')) e.preventDefault(); });

  // --- The keyboard way ---

  editor.addEventListener('keydown', function (e) {
    var tile = e.target.closest && e.target.closest('.tt-session[data-id]');
    if (!tile || !grid()) return;
    if (busy) { if (e.key === 'Enter' || e.key === ' ' || e.key.indexOf('Arrow') === 0) e.preventDefault(); return; }
    if (!cur || cur.tile !== tile) {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        begin(tile);
        tile.classList.add('is-selected');
        if (cur.t.off) { // from the side list onto the grid, at its first room and time
          cur.t.off = false;
          cur.t.room = rooms()[0].id;
          cur.t.end = cur.t.end - cur.t.start;
          cur.t.start = geometry().from;
          cur.t.end += cur.t.start;
          clamp(cur.t);
          place(tile, cur.t);
          tile.focus();
        }
        say('Picked up ' + describe(tile, cur.t) + ' Arrow keys move it, Shift with up or down changes its length, Enter saves, Escape cancels.');
      }
      return;
    }
    var t = cur.t, rs = rooms(), moved = true;
    switch (e.key) {
      case 'ArrowUp':
      case 'ArrowDown':
        var step = e.key === 'ArrowUp' ? -SLOT : SLOT;
        if (t.off) { moved = false; break; }
        if (e.shiftKey) {
          t.end = Math.max(t.start + SLOT, Math.min(geometry().to, t.end + step));
        } else {
          t.start += step; t.end += step;
          clamp(t);
        }
        break;
      case 'ArrowLeft':
      case 'ArrowRight':
        if (tile.classList.contains('full-span')) { moved = false; break; }
        var i = roomIndex(t.room) + (e.key === 'ArrowLeft' ? -1 : 1);
        if (t.off) { t.off = false; i = 0; }
        t.room = rs[Math.max(0, Math.min(rs.length - 1, i))].id;
        break;
      case 'Delete':
      case 'Backspace':
        t.off = true;
        break;
      case 'Enter':
        e.preventDefault();
        save(false);
        return;
      case 'Escape':
        e.preventDefault();
        var title = tile.dataset.title;
        restore();
        say('Cancelled: “' + title + '” stays where it was.');
        return;
      case ' ':
        e.preventDefault();
        return;
      default:
        moved = false;
    }
    if (!moved) return;
    e.preventDefault();
    place(tile, t);
    tile.focus();
    say(describe(tile, t));
  });
})();
