// lpsync console: drag-and-drop upload, the upload's size checked before sending, and the live run
// through server-sent events. Every page works without it; it never builds markup from text.
'use strict';

function setupDropzones() {
  document.querySelectorAll('[data-dropzone]').forEach(function (zone) {
    var input = zone.querySelector('input[type=file]');
    if (!input) return;
    ['dragenter', 'dragover'].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add('dragging');
      });
    });
    ['dragleave', 'drop'].forEach(function (type) {
      zone.addEventListener(type, function () {
        zone.classList.remove('dragging');
      });
    });
    zone.addEventListener('drop', function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length > 0) {
        input.files = event.dataTransfer.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
      }
    });
  });
}

function setupSizeCheck() {
  document.querySelectorAll('form[data-max-bytes]').forEach(function (form) {
    var max = Number(form.getAttribute('data-max-bytes'));
    var problem = form.querySelector('[data-form-problem]');
    form.addEventListener('submit', function (event) {
      var inputs = form.querySelectorAll('input[type=file]');
      var total = 0;
      inputs.forEach(function (input) {
        Array.prototype.forEach.call(input.files || [], function (file) {
          total += file.size;
        });
      });
      if (total > max && problem) {
        event.preventDefault();
        problem.textContent =
          'These files are larger than this console takes (' +
          Math.round(max / 1048576) +
          ' MB). Split the workbook, or start lpsync serve with a larger --max-upload-mb.';
      }
    });
  });
}

function field(root, name) {
  return root.querySelector('[data-field="' + name + '"]');
}

function showFailures(root, view) {
  var list = field(root, 'failures');
  if (!list) return;
  // Failures only grow: add the ones not shown yet.
  for (var i = list.children.length; i < view.failures.length; i++) {
    var f = view.failures[i];
    var item = document.createElement('li');
    var target = document.createElement('strong');
    target.textContent = f.target;
    var rows = document.createElement('span');
    rows.className = 'muted';
    rows.textContent = ' (' + f.rows + ')';
    item.appendChild(target);
    item.appendChild(rows);
    item.appendChild(document.createTextNode(': ' + f.message));
    list.appendChild(item);
  }
  var none = field(root, 'noFailures');
  if (none) none.hidden = view.failureCount > 0;
}

function showRun(root, view) {
  var progress = field(root, 'progress');
  if (progress) {
    progress.max = Math.max(view.total, 1);
    progress.value = view.done;
    progress.textContent = view.done + ' of ' + view.total;
  }
  field(root, 'stateText').textContent = view.stateText;
  field(root, 'concurrency').textContent = view.concurrency === null ? '–' : String(view.concurrency);
  field(root, 'throttled').textContent = String(view.throttled);
  field(root, 'failureCount').textContent = String(view.failureCount);
  root.querySelectorAll('[data-count]').forEach(function (cell) {
    cell.textContent = String(view.byStatus[cell.getAttribute('data-count')] || 0);
  });
  var stop = field(root, 'stop');
  if (stop && view.state === 'stopping') stop.disabled = true;
  showFailures(root, view);
}

function setupLiveRun() {
  var root = document.querySelector('[data-events]');
  if (!root || typeof EventSource === 'undefined') return;
  var source = new EventSource(root.getAttribute('data-events'));
  source.addEventListener('state', function (event) {
    showRun(root, JSON.parse(event.data));
  });
  source.addEventListener('end', function (event) {
    showRun(root, JSON.parse(event.data));
    source.close();
    // The server renders how the run ended (results, Resume, or the refusal): load it.
    window.location.reload();
  });
}

document.addEventListener('DOMContentLoaded', function () {
  setupDropzones();
  setupSizeCheck();
  setupLiveRun();
});
