// Renders the demo outbox. Mail text is shown as text; only the http(s) links in it become
// anchors, built with DOM calls (no innerHTML), so nothing in a message can run as HTML.
const list = document.getElementById('mails');
const status = document.getElementById('status');

function linkify(text) {
  const pre = document.createElement('pre');
  const pattern = /https?:\/\/[^\s<>"']+/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    pre.append(text.slice(last, match.index));
    const a = document.createElement('a');
    a.href = match[0];
    a.textContent = match[0];
    pre.append(a);
    last = match.index + match[0].length;
  }
  pre.append(text.slice(last));
  return pre;
}

async function load() {
  status.textContent = 'Loading…';
  try {
    const response = await fetch('/api/dev/mailbox', { headers: { Accept: 'application/json' } });
    if (response.status === 404) {
      status.textContent = 'This server keeps no local mailbox: mail is delivered by SMTP (SMTP_URL), or the demo mailbox is off.';
      return;
    }
    if (!response.ok) throw new Error(`The server answered ${response.status}.`);
    const mails = await response.json();
    list.replaceChildren(
      ...mails.map((mail) => {
        const li = document.createElement('li');
        const h = document.createElement('h2');
        h.textContent = mail.subject;
        const meta = document.createElement('p');
        meta.className = 'meta';
        meta.textContent = `${mail.channel === 'sms' ? 'SMS to' : 'To'} ${mail.to} · ${mail.provider} · ${new Date(mail.createdAt).toLocaleString()}`;
        if (mail.channel === 'sms') li.classList.add('sms');
        li.append(h, meta, linkify(mail.text));
        return li;
      }),
    );
    status.textContent = mails.length ? `${mails.length} message(s).` : 'No mail yet. Invite a contact or use "Forgot password?".';
  } catch (error) {
    status.textContent = `Could not load the mailbox: ${error.message}`;
  }
}

// On the demo's second origin the API (and its mailbox) is elsewhere: link there instead of asking this origin.
const api = document.querySelector('main').dataset.api;
if (api) {
  const a = document.createElement('a');
  a.href = `${api}/mailbox.html`;
  a.textContent = a.href;
  status.replaceChildren('This copy of the demo is served from a second origin. The mailbox is with the API: ', a);
  document.getElementById('refresh').hidden = true;
} else {
  document.getElementById('refresh').addEventListener('click', load);
  load();
}
