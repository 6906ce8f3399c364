"""Chrome-context scripts the end-to-end test and the screenshots run through Marionette."""

from __future__ import annotations

_WIDGET = 'const WIDGET = "thunderbird_mailscope_example";  // makeWidgetId of the add-in id\n'

_INBOX_FOLDER = """
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const inbox = MailServices.accounts.defaultAccount.incomingServer.rootFolder
  .getFolderWithFlags(Ci.nsMsgFolderFlags.Inbox);
"""

# Show the inbox in the 3-pane tab; returns how many messages Thunderbird lists.
INBOX = (
    _INBOX_FOLDER
    + """
const win = Services.wm.getMostRecentWindow("mail:3pane");
if (!inbox || !win || !win.gTabmail) return -1;
const about3Pane = win.gTabmail.currentAbout3Pane;
if (about3Pane.gFolder?.URI != inbox.URI) about3Pane.displayFolder(inbox.URI);
return inbox.getTotalMessages(false);
"""
)

# Select (display) the inbox message with this Message-ID (without brackets).
SHOW = (
    _INBOX_FOLDER
    + """
const about3Pane = Services.wm.getMostRecentWindow("mail:3pane").gTabmail.currentAbout3Pane;
const hdr = inbox.msgDatabase.getMsgHdrForMessageID(arguments[0]);
if (!hdr) return -1;
const index = about3Pane.gDBView.findIndexOfMsgHdr(hdr, true);
about3Pane.threadTree.selectedIndex = index;
about3Pane.threadTree.scrollToIndex(index);
return index;
"""
)

_BUTTON = (
    _WIDGET
    + """
const state = b => b && {label: b.getAttribute("label"), title: b.getAttribute("tooltiptext"),
  badge: b.getAttribute("badge")};
"""
)

MESSAGE_BUTTON = (
    _BUTTON
    + """
const doc = Services.wm.getMostRecentWindow("mail:3pane").gTabmail.currentAboutMessage?.document;
return state(doc?.getElementById(`${WIDGET}-messageDisplayAction-toolbarbutton`));
"""
)

CLICK_MESSAGE_BUTTON = (
    _WIDGET
    + """
const doc = Services.wm.getMostRecentWindow("mail:3pane").gTabmail.currentAboutMessage?.document;
doc.getElementById(`${WIDGET}-messageDisplayAction-toolbarbutton`).click();
return true;
"""
)

# Open a compose window with these recipients and subject (plain text, the default identity).
COMPOSE = """
const [to, subject] = arguments;
const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
const params = Cc["@mozilla.org/messengercompose/composeparams;1"]
  .createInstance(Ci.nsIMsgComposeParams);
const fields = Cc["@mozilla.org/messengercompose/composefields;1"]
  .createInstance(Ci.nsIMsgCompFields);
fields.to = to;
fields.subject = subject;
fields.body = "Hello,\\n\\nHere is a short introduction to Globex.\\n";
params.type = Ci.nsIMsgCompType.New;
params.format = Ci.nsIMsgCompFormat.PlainText;
params.identity = MailServices.accounts.defaultAccount.defaultIdentity;
params.composeFields = fields;
MailServices.compose.OpenComposeWindowWithParams(null, params);
return true;
"""

_COMPOSE_WINDOW = """
const composeWindow = subject => [...Services.wm.getEnumerator("msgcompose")]
  .find(w => w.document.getElementById("msgSubject")?.value == subject);
"""

COMPOSE_BUTTON = (
    _BUTTON
    + _COMPOSE_WINDOW
    + """
const w = composeWindow(arguments[0]);
if (!w) return null;
const found = state(w.document.getElementById(`${WIDGET}-composeAction-toolbarbutton`)) || {};
found.bcc = [...w.document.querySelectorAll("#bccAddrContainer mail-address-pill")]
  .map(p => p.fullAddress);
return found;
"""
)

CLICK_COMPOSE_BUTTON = (
    _WIDGET
    + _COMPOSE_WINDOW
    + """
const w = composeWindow(arguments[0]);
w.document.getElementById(`${WIDGET}-composeAction-toolbarbutton`).click();
return true;
"""
)

# The add-in's "add the BCC address" shortcut (Alt+Shift+B), fired in the compose window.
ADD_BCC_SHORTCUT = (
    _COMPOSE_WINDOW
    + """
const w = composeWindow(arguments[0]);
const key = w && w.document.querySelector('keyset[id^="ext-keyset-id-thunderbird_mailscope"] key');
if (!key) return false;
key.doCommand();
return true;
"""
)

SEND = (
    _COMPOSE_WINDOW
    + """
composeWindow(arguments[0]).goDoCommand("cmd_sendNow");
return true;
"""
)

CLOSE_COMPOSE = (
    _COMPOSE_WINDOW
    + """
const w = composeWindow(arguments[0]);
if (w) { w.gMsgCompose.bodyModified = false; w.gContentChanged = false; w.close(); }
return true;
"""
)

_WARNING = """
const warning = () => [...Services.wm.getEnumerator(null)].find(w =>
  w.document.documentURI.startsWith("chrome://messenger/content/extensionPopup")
  && w.document.title.startsWith("Mailscope"));
"""

WARNING_TITLE = (
    _WARNING
    + """
const w = warning();
return w ? w.document.title : null;
"""
)

CLOSE_WARNING = (
    _WARNING
    + """
const w = warning();
if (!w) return false;
w.close();
return true;
"""
)
