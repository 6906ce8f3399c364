<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>AccountDialog</name>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OAuth2 (other provider)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect your mailbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>you@company.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look the settings up online (DNS, autoconfig)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type your email address: the settings are found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>work</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>imap.example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SSL/TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None (this computer only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional: a CA file to trust</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server (found from the address; you can change it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trusted CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from your organisation&apos;s app registration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issuer URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking up the settings of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not an email address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No settings found for %1: enter the server below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not accept your normal password here: use an app password (&lt;a href=&quot;%2&quot;&gt;make one on %1&apos;s site&lt;/a&gt;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With Google Workspace, sign in with Google. A personal Gmail account without it needs an app password (&lt;a href=&quot;%2&quot;&gt;make one on Google&apos;s site&lt;/a&gt;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for you to sign in in your browser…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the sign-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in as %1: %2 folders found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the server&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected: %1 folders found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try %1 on port %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AccountsManager</name>
    <message>
        <source>Accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit mail settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect HubSpot…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnect the CRM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forwarding (SMTP)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh contacts now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mailscope forgets %1: its cached mail, verdicts and outbox, and its password. Nothing changes on the mail server or in the CRM.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading HubSpot contacts in the background…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ActivityView</name>
    <message>
        <source>Copy as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logged emails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} logged emails in the period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied {0} lines of CSV.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuthPage</name>
    <message>
        <source>Paste a Service Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in with HubSpot (public app)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the key (or a private app&apos;s access token)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who are you in HubSpot?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In HubSpot: Development › Keys › Service keys. Give the key the scopes crm.objects.contacts.read, crm.objects.contacts.write and crm.objects.owners.read; companies, deals and schemas are optional.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redirect port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Portal &lt;b&gt;%1&lt;/b&gt; (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no owner has this mailbox&apos;s address: choose below</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checked by the first log:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Badge</name>
    <message>
        <source>Already logged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreadable sender</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never-log list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BCC address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thread reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replies only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Internal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No email access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deciding</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CheckPanel</name>
    <message>
        <source>Type a recipient to see the verdict.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>names or addresses, separated by commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bcc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replies to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If a contact replies to all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why (the rules checked, in order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No account named {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add or open a mailbox first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(a new email)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nobody</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts for: {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No contact on this email.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating contacts arrives with the CRM actions.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CrmActions</name>
    <message>
        <source>This message is no longer in the cache.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CrmBanner</name>
    <message>
        <source>Connect your CRM to see real verdicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect HubSpot…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mailscope knows no contacts or users of this mailbox yet, so it cannot tell what the CRM will log.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CrmConnect</name>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HubSpot loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect a mailbox first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 logs into the local CRM: connect HubSpot to load contacts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading HubSpot contacts of %1…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>Why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attribution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show formatted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No message selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a message in the list to see whether the CRM will log it, and why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deciding…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bcc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The list shows an older verdict; sync to update it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not logged, so it counts in nobody&apos;s activity report.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts for nobody.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts for %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arrives with the CRM connection (not wired yet).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the message…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot show the message: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Formatted view: remote images and files are never loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This message has no plain text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachments: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EntryList</name>
    <message>
        <source>an address or a domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Will log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✕ Won&apos;t log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>! Needs action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search address, name or subject  (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HubSpotDialog</name>
    <message>
        <source>Connect HubSpot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect and load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste the Service Key first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the public app&apos;s client ID and secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in to HubSpot in your browser…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grant the missing scopes in HubSpot, then check again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No HubSpot owner has this mailbox&apos;s address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to HubSpot: check the account&apos;s rules next.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the owners…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading contacts: %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deciding the verdicts of %1 contacts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HubSpot is connected: %1 users and %2 contacts loaded; %3 verdicts changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mailscope reloads them every hour, and at once with CRM › Refresh contacts now. The rule, the addresses and the Never-log list are in View › Account settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>System (%1)</source>
        <translation>Système (%1)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Mailscope will use this language from its next start.</source>
        <translation>Mailscope utilisera cette langue à son prochain démarrage.</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
</context>
<context>
    <name>LoadPage</name>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel loading</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MailEditDialog</name>
    <message>
        <source>Mail settings of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Mailscope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No message matches this filter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing… messages appear here as they arrive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No messages in this folder yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mailbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect a mailbox…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the &amp;demo workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ca&amp;ncel sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next that needs action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Messages</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageTableModel</name>
    <message>
        <source>Verdict</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correspondent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attributed to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unknown sender)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To: (nobody yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To: %1 +%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect your CRM to see real verdicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Will be logged: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Won&apos;t be logged: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n waiting, </source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RulesPage</name>
    <message>
        <source>Your HubSpot admin chose this in Settings › Objects › Activities › Email logging.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log all emails (from known contacts): HubSpot&apos;s default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log replies only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create new contacts from logged emails (HubSpot beta)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logging rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick the same here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BCC address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forwarding address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some portals use a regional address: copy HubSpot&apos;s if it differs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never log</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <source>Log replies only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log all emails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create new contacts from logged emails (HubSpot beta)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account rules (account admins)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logging rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BCC address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My Never-log list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No account yet: connect a mailbox first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read-only: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving and deciding every message again…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The change failed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>Inbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drafts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 messages; %3 will be logged, %4 won&apos;t, %5 need an action</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInAgainDialog</name>
    <message>
        <source>Sign in again: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your sign-in has expired or was revoked.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SmtpDialog</name>
    <message>
        <source>Forwarding (SMTP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SSL/TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None (this computer only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>your address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional: a CA file to trust</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trusted CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the server&apos;s name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 accepted the login: forwards can go out.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncControl</name>
    <message>
        <source>%1: syncing %2 (%3 of %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: deciding verdicts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: up to date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: checking %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync cancelled; press F5 to sync again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: the local cache cannot be written ({1}); what was synced is kept</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to Mailscope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>See, for every email, whether your CRM will log it, why, with which contacts and for whom. Connect your mailbox to start, or look around in a demo mailbox first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect your mailbox…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the demo workspace</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WhatIfView</name>
    <message>
        <source>(unchanged)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log replies only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log all emails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On (HubSpot beta)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rival.example, someone@else.example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an entry of the Never-log list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Simulate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logging rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create contacts from logged emails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to Never-log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove from Never-log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing is written: a simulation only reads the cache.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With the change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Difference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counts for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Messages whose verdict changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a rule, a Never-log or a contacts change first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Simulating: {0}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No account named {0}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}: over the last {1} days ({2} messages), {3} logged now, {4} with the change; {5} messages change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nobody</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>will log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>won&apos;t log</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <source>About Mailscope</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Mailscope</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;CRM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect &amp;HubSpot…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh contacts now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Forwarding (SMTP)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Accounts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CRM outbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log the email now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward the email to the CRM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create the sender&apos;s contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check an email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What if…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activity report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>demo: up to date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thunderbird add-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mailscope&apos;s helper for Thunderbird is installed.

In Thunderbird, open the Add-ons Manager, choose Install Add-on From File in its gear menu, and pick:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to remove.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thunderbird add-in removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Install the Thunderbird add-in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the Thunderbird add-in</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
