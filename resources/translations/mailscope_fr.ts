<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>About</name>
    <message>
        <source>See, for every email, whether your CRM will log it, why, with which contacts and for whom.</source>
        <translation>Voyez, pour chaque e-mail, si votre CRM le consignera, pourquoi, avec quels contacts et pour qui.</translation>
    </message>
    <message>
        <source>Your cache and settings: %1</source>
        <translation>Votre cache et vos paramètres&#xa0;: %1</translation>
    </message>
    <message>
        <source>© 2026 the Mailscope authors. All rights reserved.</source>
        <translation>© 2026 les auteurs de Mailscope. Tous droits réservés.</translation>
    </message>
    <message>
        <source> (self-contained)</source>
        <translation> (autonome)</translation>
    </message>
</context>
<context>
    <name>AccountDialog</name>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>OAuth2 (other provider)</source>
        <translation>OAuth2 (autre fournisseur)</translation>
    </message>
    <message>
        <source>Connect your mailbox</source>
        <translation>Connecter votre boîte de réception</translation>
    </message>
    <message>
        <source>Save &amp;anyway</source>
        <translation>Enregistrer &amp;quand même</translation>
    </message>
    <message>
        <source>you@company.com</source>
        <translation>vous@entreprise.fr</translation>
    </message>
    <message>
        <source>Find settings</source>
        <translation>Trouver les paramètres</translation>
    </message>
    <message>
        <source>Look the settings up online (DNS, autoconfig)</source>
        <translation>Chercher les paramètres en ligne (DNS, autoconfig)</translation>
    </message>
    <message>
        <source>Type your email address: the settings are found.</source>
        <translation>Saisissez votre adresse e-mail&#xa0;: les paramètres sont trouvés automatiquement.</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>Adresse e-mail</translation>
    </message>
    <message>
        <source>work</source>
        <translation>travail</translation>
    </message>
    <message>
        <source>imap.example.com</source>
        <translation>imap.exemple.fr</translation>
    </message>
    <message>
        <source>SSL/TLS</source>
        <translation>SSL/TLS</translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <source>None (this computer only)</source>
        <translation>Aucune (cet ordinateur seulement)</translation>
    </message>
    <message>
        <source>optional: a CA file to trust</source>
        <translation>facultatif&#xa0;: un fichier de CA de confiance</translation>
    </message>
    <message>
        <source>Server (found from the address; you can change it)</source>
        <translation>Serveur (déduit de l&apos;adresse&#x202f;; vous pouvez le modifier)</translation>
    </message>
    <message>
        <source>Account name</source>
        <translation>Nom du compte</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sécurité</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nom d&apos;utilisateur</translation>
    </message>
    <message>
        <source>Trusted CA</source>
        <translation>CA de confiance</translation>
    </message>
    <message>
        <source>from your organisation&apos;s app registration</source>
        <translation>fourni par l&apos;inscription de l&apos;application de votre organisation</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <source>Sign in with</source>
        <translation>Se connecter avec</translation>
    </message>
    <message>
        <source>Issuer URL</source>
        <translation>URL de l&apos;émetteur</translation>
    </message>
    <message>
        <source>Client id</source>
        <translation>Identifiant client</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Tester la connexion</translation>
    </message>
    <message>
        <source>Looking up the settings of %1…</source>
        <translation>Recherche des paramètres de %1…</translation>
    </message>
    <message>
        <source>%1 is not an email address.</source>
        <translation>%1 n&apos;est pas une adresse e-mail.</translation>
    </message>
    <message>
        <source>No settings found for %1: enter the server below.</source>
        <translation>Aucun paramètre trouvé pour %1&#xa0;: saisissez le serveur ci-dessous.</translation>
    </message>
    <message>
        <source>%1 does not accept your normal password here: use an app password (&lt;a href=&quot;%2&quot;&gt;make one on %1&apos;s site&lt;/a&gt;).</source>
        <translation>%1 n&apos;accepte pas votre mot de passe habituel ici&#xa0;: utilisez un mot de passe d&apos;application (&lt;a href=&quot;%2&quot;&gt;créez-en un sur le site de %1&lt;/a&gt;).</translation>
    </message>
    <message>
        <source>With Google Workspace, sign in with Google. A personal Gmail account without it needs an app password (&lt;a href=&quot;%2&quot;&gt;make one on Google&apos;s site&lt;/a&gt;).</source>
        <translation>Avec Google Workspace, connectez-vous avec Google. Un compte Gmail personnel sans Workspace nécessite un mot de passe d&apos;application (&lt;a href=&quot;%2&quot;&gt;créez-en un sur le site de Google&lt;/a&gt;).</translation>
    </message>
    <message>
        <source>Sign in with %1</source>
        <translation>Se connecter avec %1</translation>
    </message>
    <message>
        <source>Waiting for you to sign in in your browser…</source>
        <translation>En attente de votre connexion dans le navigateur…</translation>
    </message>
    <message>
        <source>Cancel the sign-in</source>
        <translation>Annuler la connexion</translation>
    </message>
    <message>
        <source>Sign-in failed: %1</source>
        <translation>Échec de la connexion&#xa0;: %1</translation>
    </message>
    <message>
        <source>Signed in as %1: %2 folders found.</source>
        <translation>Connecté en tant que %1&#xa0;: %2 dossiers trouvés.</translation>
    </message>
    <message>
        <source>Enter the server&apos;s name.</source>
        <translation>Saisissez le nom du serveur.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>Connected: %1 folders found.</source>
        <translation>Connecté&#xa0;: %1 dossiers trouvés.</translation>
    </message>
    <message>
        <source>Connection failed: %1</source>
        <translation>Échec de la connexion&#xa0;: %1</translation>
    </message>
    <message>
        <source>Try %1 on port %2</source>
        <translation>Essayer %1 sur le port %2</translation>
    </message>
    <message>
        <source>Sign in first.</source>
        <translation>Connectez-vous d&apos;abord.</translation>
    </message>
</context>
<context>
    <name>AccountsManager</name>
    <message>
        <source>HubSpot portal %1 (signed in)</source>
        <translation>Portail HubSpot %1 (connecté)</translation>
    </message>
    <message>
        <source>HubSpot portal %1 (Service Key)</source>
        <translation>Portail HubSpot %1 (clé de service)</translation>
    </message>
    <message>
        <source>local CRM</source>
        <translation>CRM local</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Comptes</translation>
    </message>
    <message>
        <source>Edit mail settings…</source>
        <translation>Modifier les paramètres de messagerie…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <source>Connect HubSpot…</source>
        <translation>Connecter HubSpot…</translation>
    </message>
    <message>
        <source>Disconnect the CRM</source>
        <translation>Déconnecter le CRM</translation>
    </message>
    <message>
        <source>Forwarding (SMTP)…</source>
        <translation>Transfert (SMTP)…</translation>
    </message>
    <message>
        <source>Refresh contacts now</source>
        <translation>Actualiser les contacts maintenant</translation>
    </message>
    <message>
        <source>Remove %1?</source>
        <translation>Supprimer %1&#x202f;?</translation>
    </message>
    <message>
        <source>Mailscope forgets %1: its cached mail, verdicts and outbox, and its password. Nothing changes on the mail server or in the CRM.</source>
        <translation>Mailscope oublie %1&#xa0;: son courrier en cache, ses verdicts, sa boîte d&apos;envoi et son mot de passe. Rien ne change sur le serveur de messagerie ni dans le CRM.</translation>
    </message>
    <message>
        <source>Loading HubSpot contacts in the background…</source>
        <translation>Chargement des contacts HubSpot en arrière-plan…</translation>
    </message>
</context>
<context>
    <name>ActivityView</name>
    <message>
        <source>Copy as CSV</source>
        <translation>Copier en CSV</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Logged emails</source>
        <translation>E-mails consignés</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <source>to</source>
        <translation>au</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>From or to</source>
        <translation>De ou à</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Objet</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <source>Double-click an email (or press Enter) to read it.</source>
        <translation>Double-cliquez sur un e-mail (ou appuyez sur Entrée) pour le lire.</translation>
    </message>
    <message numerus="yes">
        <source>%n logged emails in the period.</source>
        <translation>
            <numerusform>%n e-mail consigné sur la période.</numerusform>
            <numerusform>%n e-mails consignés sur la période.</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a line to see the emails it counts.</source>
        <translation>Sélectionnez une ligne pour voir les e-mails qu&apos;elle compte.</translation>
    </message>
    <message numerus="yes">
        <source>Emails counted for %1 (%n):</source>
        <translation>
            <numerusform>E-mail compté pour %1 (%n)&#xa0;:</numerusform>
            <numerusform>E-mails comptés pour %1 (%n)&#xa0;:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %n lines of CSV.</source>
        <translation>
            <numerusform>%n ligne CSV copiée.</numerusform>
            <numerusform>%n lignes CSV copiées.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AskAdmin</name>
    <message>
        <source>Hello,</source>
        <translation>Bonjour,</translation>
    </message>
    <message>
        <source>The CRM does not log my emails: my user, %1, lacks personal email access.</source>
        <translation>Le CRM ne consigne pas mes e-mails&#xa0;: mon utilisateur, %1, n&apos;a pas l&apos;autorisation Accès à la messagerie personnelle.</translation>
    </message>
    <message>
        <source>For example, “%1”: %2</source>
        <translation>Par exemple, «&#xa0;%1&#xa0;»&#xa0;: %2</translation>
    </message>
    <message>
        <source>Could you turn on personal email access for my user in the CRM&apos;s users and teams settings? My emails with contacts are then logged again.</source>
        <translation>Pourriez-vous activer l&apos;autorisation Accès à la messagerie personnelle pour mon utilisateur dans les paramètres Utilisateurs et équipes du CRM&#x202f;? Mes e-mails avec des contacts seront alors de nouveau consignés.</translation>
    </message>
    <message>
        <source>Thank you,</source>
        <translation>Merci d&apos;avance,</translation>
    </message>
    <message>
        <source>Please turn on personal email access for %1</source>
        <translation>Activer l&apos;autorisation Accès à la messagerie personnelle pour %1</translation>
    </message>
    <message>
        <source>No mail app opened: ask an account admin to turn on your email access.</source>
        <translation>Aucune application de messagerie ne s&apos;est ouverte&#xa0;: demandez à un administrateur du compte d&apos;activer votre autorisation Accès à la messagerie personnelle.</translation>
    </message>
    <message>
        <source>An email to %1 is ready in your mail app.</source>
        <translation>Un e-mail adressé à %1 est prêt dans votre application de messagerie.</translation>
    </message>
    <message>
        <source>No account admin is in the CRM directory: address the email yourself.</source>
        <translation>Aucun administrateur du compte ne figure dans l&apos;annuaire du CRM&#xa0;: saisissez vous-même le destinataire de l&apos;e-mail.</translation>
    </message>
</context>
<context>
    <name>AuthPage</name>
    <message>
        <source>Paste a Service Key</source>
        <translation>Coller une clé de service</translation>
    </message>
    <message>
        <source>Sign in with HubSpot (public app)</source>
        <translation>Se connecter avec HubSpot (application publique)</translation>
    </message>
    <message>
        <source>the key (or a private app&apos;s access token)</source>
        <translation>la clé (ou le jeton d&apos;accès d&apos;une application privée)</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <source>Who are you in HubSpot?</source>
        <translation>Qui êtes-vous dans HubSpot&#x202f;?</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Clé</translation>
    </message>
    <message>
        <source>In HubSpot: Development › Keys › Service keys. Give the key the scopes crm.objects.contacts.read, crm.objects.contacts.write and crm.objects.owners.read; companies, deals and schemas are optional.</source>
        <translation>Dans HubSpot&#xa0;: Développement › Clés › Clés de service. Donnez à la clé les autorisations crm.objects.contacts.read, crm.objects.contacts.write et crm.objects.owners.read&#x202f;; companies, deals et schemas sont facultatives.</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>ID client</translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation>Secret client</translation>
    </message>
    <message>
        <source>Redirect port</source>
        <translation>Port de redirection</translation>
    </message>
    <message>
        <source>API address</source>
        <translation>Adresse de l&apos;API</translation>
    </message>
    <message>
        <source>Portal &lt;b&gt;%1&lt;/b&gt; (%2)</source>
        <translation>Portail &lt;b&gt;%1&lt;/b&gt; (%2)</translation>
    </message>
    <message>
        <source>User: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Utilisateur&#xa0;: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>no owner has this mailbox&apos;s address: choose below</source>
        <translation>aucun propriétaire n&apos;a l&apos;adresse de cette boîte de réception&#xa0;: choisissez ci-dessous</translation>
    </message>
    <message>
        <source>missing:</source>
        <translation>manquant&#xa0;:</translation>
    </message>
    <message>
        <source>checked by the first log:</source>
        <translation>vérifié lors de la première consignation&#xa0;:</translation>
    </message>
</context>
<context>
    <name>CheckPanel</name>
    <message>
        <source>Type a recipient to see the verdict.</source>
        <translation>Saisissez un destinataire pour voir le verdict.</translation>
    </message>
    <message>
        <source>To</source>
        <translation>À</translation>
    </message>
    <message>
        <source>names or addresses, separated by commas</source>
        <translation>noms ou adresses, séparés par des virgules</translation>
    </message>
    <message>
        <source>Cc</source>
        <translation>Cc</translation>
    </message>
    <message>
        <source>Bcc</source>
        <translation>Cci</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Objet</translation>
    </message>
    <message>
        <source>Replies to</source>
        <translation>En réponse à</translation>
    </message>
    <message>
        <source>If a contact replies to all</source>
        <translation>Si un contact répond à tous</translation>
    </message>
    <message>
        <source>Why (the checks, in order)</source>
        <translation>Pourquoi (les vérifications, dans l&apos;ordre)</translation>
    </message>
    <message>
        <source>&amp;New email</source>
        <translation>&amp;Nouvel e-mail</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Effacer</translation>
    </message>
    <message>
        <source>No account named {0}.</source>
        <translation>Aucun compte nommé {0}.</translation>
    </message>
    <message>
        <source>Add or open a mailbox first.</source>
        <translation>Ajoutez ou ouvrez d&apos;abord une boîte de réception.</translation>
    </message>
    <message>
        <source>(a new email)</source>
        <translation>(un nouvel e-mail)</translation>
    </message>
    <message>
        <source>Draft: {0}</source>
        <translation>Brouillon&#xa0;: {0}</translation>
    </message>
    <message>
        <source>no contact</source>
        <translation>aucun contact</translation>
    </message>
    <message>
        <source>Contacts: {0}</source>
        <translation>Contacts&#xa0;: {0}</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>personne</translation>
    </message>
    <message>
        <source>Counts for: {0}</source>
        <translation>Attribué à&#xa0;: {0}</translation>
    </message>
    <message>
        <source>No contact on this email.</source>
        <translation>Aucun contact dans cet e-mail.</translation>
    </message>
</context>
<context>
    <name>ContextMenus</name>
    <message>
        <source>%1 is on your Never-log list.</source>
        <translation>%1 figure dans votre liste Ne jamais consigner.</translation>
    </message>
    <message>
        <source>&amp;Log now</source>
        <translation>&amp;Consigner maintenant</translation>
    </message>
    <message>
        <source>Create the &amp;contact…</source>
        <translation>C&amp;réer le contact…</translation>
    </message>
    <message>
        <source>Add the sender to the &amp;Never-log list</source>
        <translation>Ajouter l&apos;expéditeur à la liste &amp;Ne jamais consigner</translation>
    </message>
    <message>
        <source>Copy the sender&apos;s &amp;address</source>
        <translation>Copier l&apos;&amp;adresse de l&apos;expéditeur</translation>
    </message>
    <message>
        <source>Show in its &amp;folder</source>
        <translation>Afficher dans son &amp;dossier</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>&amp;Synchroniser maintenant</translation>
    </message>
    <message>
        <source>&amp;Next that needs action</source>
        <translation>Message suivant &amp;à traiter</translation>
    </message>
    <message>
        <source>&amp;Accounts…</source>
        <translation>&amp;Comptes…</translation>
    </message>
</context>
<context>
    <name>CrmActions</name>
    <message>
        <source>This message is no longer in the cache.</source>
        <translation>Ce message n&apos;est plus dans le cache.</translation>
    </message>
</context>
<context>
    <name>CrmBanner</name>
    <message>
        <source>Connect your CRM to see real verdicts</source>
        <translation>Connectez votre CRM pour voir les vrais verdicts</translation>
    </message>
    <message>
        <source>Connect HubSpot…</source>
        <translation>Connecter HubSpot…</translation>
    </message>
    <message>
        <source>Mailscope knows no contacts or users of this mailbox yet, so it cannot tell what the CRM will log.</source>
        <translation>Mailscope ne connaît encore aucun contact ni utilisateur de cette boîte de réception&#xa0;: il ne peut donc pas dire ce que le CRM consignera.</translation>
    </message>
</context>
<context>
    <name>CrmConnect</name>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <source>HubSpot loaded: %1</source>
        <translation>HubSpot chargé&#xa0;: %1</translation>
    </message>
    <message>
        <source>Connect a mailbox first.</source>
        <translation>Connectez d&apos;abord une boîte de réception.</translation>
    </message>
    <message>
        <source>%1 logs into the local CRM: connect HubSpot to load contacts.</source>
        <translation>%1 consigne dans le CRM local&#xa0;: connectez HubSpot pour charger les contacts.</translation>
    </message>
    <message>
        <source>Loading HubSpot contacts of %1…</source>
        <translation>Chargement des contacts HubSpot de %1…</translation>
    </message>
</context>
<context>
    <name>CrmErrors</name>
    <message>
        <source>Internal error (%1): please report it.</source>
        <translation>Erreur interne (%1)&#xa0;: merci de la signaler.</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>People</source>
        <translation>Personnes</translation>
    </message>
    <message>
        <source>Attribution</source>
        <translation>Attribution</translation>
    </message>
    <message>
        <source>Why, who and for whom</source>
        <translation>Pourquoi, avec qui et pour qui</translation>
    </message>
    <message>
        <source>Technical details</source>
        <translation>Détails techniques</translation>
    </message>
    <message>
        <source>Show formatted</source>
        <translation>Afficher la mise en forme</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>No message selected</source>
        <translation>Aucun message sélectionné</translation>
    </message>
    <message>
        <source>Pick a message in the list to see whether the CRM will log it, and why.</source>
        <translation>Choisissez un message dans la liste pour voir si le CRM le consignera, et pourquoi.</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(sans objet)</translation>
    </message>
    <message>
        <source>Deciding…</source>
        <translation>Décision en cours…</translation>
    </message>
    <message>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <source>To</source>
        <translation>À</translation>
    </message>
    <message>
        <source>Cc</source>
        <translation>Cc</translation>
    </message>
    <message>
        <source>Bcc</source>
        <translation>Cci</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1&#xa0;:</translation>
    </message>
    <message>
        <source>The list shows an older verdict; sync to update it.</source>
        <translation>La liste affiche un ancien verdict&#x202f;; synchronisez pour le mettre à jour.</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Règle</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>; </source>
        <translation>&#x202f;; </translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <source>Not logged, so it counts in nobody&apos;s activity report.</source>
        <translation>Non consigné&#xa0;: il ne compte donc dans le rapport d&apos;activité de personne.</translation>
    </message>
    <message>
        <source>Counts for nobody.</source>
        <translation>Attribué à personne.</translation>
    </message>
    <message>
        <source>Counts for %1.</source>
        <translation>Attribué à %1.</translation>
    </message>
    <message>
        <source>Loading the message…</source>
        <translation>Chargement du message…</translation>
    </message>
    <message>
        <source>Cannot show the message: %1</source>
        <translation>Impossible d&apos;afficher le message&#xa0;: %1</translation>
    </message>
    <message>
        <source>Formatted view: remote images and files are never loaded.</source>
        <translation>Vue mise en forme&#xa0;: les images et fichiers distants ne sont jamais chargés.</translation>
    </message>
    <message>
        <source>This message has no plain text.</source>
        <translation>Ce message n&apos;a pas de texte brut.</translation>
    </message>
    <message>
        <source>Attachments: %1</source>
        <translation>Pièces jointes&#xa0;: %1</translation>
    </message>
    <message>
        <source>cannot show it: %1</source>
        <translation>impossible de l&apos;afficher&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>EntryList</name>
    <message>
        <source>an address or a domain</source>
        <translation>une adresse ou un domaine</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>All</source>
        <translation>Tous</translation>
    </message>
    <message>
        <source>✓ Will log</source>
        <translation>✓ Sera consigné</translation>
    </message>
    <message>
        <source>✕ Won&apos;t log</source>
        <translation>✕ Ne sera pas consigné</translation>
    </message>
    <message>
        <source>! Needs action</source>
        <translation>! À traiter</translation>
    </message>
    <message>
        <source>✉ Bulk mail</source>
        <translation>✉ Envoi en masse</translation>
    </message>
    <message>
        <source>Any reason</source>
        <translation>Tous les motifs</translation>
    </message>
    <message>
        <source>Search address, name or subject  (Ctrl+F)</source>
        <translation>Rechercher une adresse, un nom ou un objet  (Ctrl+F)</translation>
    </message>
</context>
<context>
    <name>HelpPages</name>
    <message>
        <source># How logging works

Your CRM looks at every email of your connected mailbox and decides, in this order:

1. **Already in the CRM**: an email already logged (by the extension, the BCC address or Log now) stays logged.
2. **No readable sender**: it cannot be logged.
3. **Never-log list**: an email from someone on the list, or whose contacts are all on it, is never logged.
4. **BCC or forward address**: an email you send with the CRM&apos;s logging address is logged.
5. **Reply in a logged thread**: a reply to a logged email is logged, unless its subject was changed.
6. **Replies only**: when your account logs replies only, a new thread is not logged.
7. **Internal**: an email only between your team&apos;s users is not logged.
8. **Email access**: a user without personal email access is not logged.
9. **Contact**: an email with a CRM contact is logged when the account logs all emails; otherwise nobody on it is a contact and it is not logged (unless the CRM creates contacts for new addresses).

A logged email counts in one user&apos;s activity report: the sender for your sent mail; for received mail, the one user it was sent to, else the contact&apos;s owner, else the mailbox owner.

Newsletters and automatic messages are marked as bulk mail: they never need action. Log now and Create the contact always show who will be created first, and every action can be undone for 10 seconds, then cancelled from the CRM outbox while it waits.
</source>
        <translation># Comment fonctionne la consignation

Votre CRM examine chaque e-mail de votre boîte de réception connectée et décide, dans cet ordre&#xa0;:

1. **Déjà dans le CRM**&#xa0;: un e-mail déjà consigné (par l&apos;extension, l&apos;adresse Cci ou Consigner maintenant) reste consigné.
2. **Aucun expéditeur lisible**&#xa0;: il ne peut pas être consigné.
3. **Liste Ne jamais consigner**&#xa0;: un e-mail d&apos;une personne de la liste, ou dont tous les contacts y figurent, n&apos;est jamais consigné.
4. **Adresse Cci ou de transfert**&#xa0;: un e-mail que vous envoyez avec l&apos;adresse de consignation du CRM est consigné.
5. **Réponse dans un fil consigné**&#xa0;: une réponse à un e-mail consigné est consignée, sauf si son objet a été modifié.
6. **Réponses uniquement**&#xa0;: si votre compte est réglé sur «&#xa0;Consigner uniquement les réponses&#xa0;», un nouveau fil n&apos;est pas consigné.
7. **Interne**&#xa0;: un e-mail échangé uniquement entre les utilisateurs de votre équipe n&apos;est pas consigné.
8. **Accès à la messagerie**&#xa0;: les e-mails d&apos;un utilisateur sans l&apos;autorisation Accès à la messagerie personnelle ne sont pas consignés.
9. **Contact**&#xa0;: un e-mail avec un contact du CRM est consigné si le compte est réglé sur «&#xa0;Consigner tous les e-mails&#xa0;»&#x202f;; un e-mail dont aucun participant n&apos;est un contact n&apos;est pas consigné (sauf si le CRM crée des contacts pour les nouvelles adresses).

Un e-mail consigné compte dans le rapport d&apos;activité d&apos;un seul utilisateur&#xa0;: l&apos;expéditeur pour vos e-mails envoyés&#x202f;; pour les e-mails reçus, le seul utilisateur à qui il a été envoyé, sinon le propriétaire du contact, sinon le titulaire de la boîte de réception.

Les newsletters et les messages automatiques sont marqués comme envois en masse&#xa0;: ils ne sont jamais à traiter. Consigner maintenant et Créer le contact indiquent toujours d&apos;abord qui sera créé, et chaque action peut être annulée pendant 10 secondes, puis depuis la boîte d&apos;envoi CRM tant qu&apos;elle est en attente.
</translation>
    </message>
    <message>
        <source># Keyboard shortcuts</source>
        <translation># Raccourcis clavier</translation>
    </message>
    <message>
        <source>How &amp;logging works</source>
        <translation>Comment fonctionne la &amp;consignation</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
</context>
<context>
    <name>HubSpotDialog</name>
    <message>
        <source>Connect HubSpot</source>
        <translation>Connecter HubSpot</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Précédent</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Suivant</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Connect and load</source>
        <translation>Connecter et charger</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Paste the Service Key first.</source>
        <translation>Collez d&apos;abord la clé de service.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <source>Enter the public app&apos;s client ID and secret.</source>
        <translation>Saisissez l&apos;ID client et le secret de l&apos;application publique.</translation>
    </message>
    <message>
        <source>Sign in to HubSpot in your browser…</source>
        <translation>Connectez-vous à HubSpot dans votre navigateur…</translation>
    </message>
    <message>
        <source>Grant the missing scopes in HubSpot, then check again.</source>
        <translation>Accordez les autorisations manquantes dans HubSpot, puis vérifiez de nouveau.</translation>
    </message>
    <message>
        <source>No HubSpot owner has this mailbox&apos;s address.</source>
        <translation>Aucun propriétaire HubSpot n&apos;a l&apos;adresse de cette boîte de réception.</translation>
    </message>
    <message>
        <source>Connected to HubSpot: check the account&apos;s rules next.</source>
        <translation>Connecté à HubSpot&#xa0;: vérifiez ensuite les règles du compte.</translation>
    </message>
    <message>
        <source>The account %1 was removed.</source>
        <translation>Le compte %1 a été supprimé.</translation>
    </message>
    <message>
        <source>Loading the owners…</source>
        <translation>Chargement des propriétaires…</translation>
    </message>
    <message>
        <source>Loading contacts: %1…</source>
        <translation>Chargement des contacts&#xa0;: %1…</translation>
    </message>
    <message>
        <source>Deciding the verdicts of %1 contacts…</source>
        <translation>Calcul des verdicts de %1 contacts…</translation>
    </message>
    <message>
        <source>HubSpot is connected: %1 users and %2 contacts loaded; %3 verdicts changed.</source>
        <translation>HubSpot est connecté&#xa0;: %1 utilisateurs et %2 contacts chargés&#x202f;; %3 verdicts modifiés.</translation>
    </message>
    <message>
        <source>Mailscope reloads them every hour, and at once with CRM › Refresh contacts now. The rule, the addresses and the Never-log list are in View › Account settings.</source>
        <translation>Mailscope les recharge toutes les heures, et aussitôt avec CRM › Actualiser les contacts maintenant. La règle, les adresses et la liste Ne jamais consigner sont dans Affichage › Paramètres du compte.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
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
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>Cancel loading</source>
        <translation>Annuler le chargement</translation>
    </message>
</context>
<context>
    <name>MailEditDialog</name>
    <message>
        <source>Mail settings of %1</source>
        <translation>Paramètres de messagerie de %1</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>inchangé</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Mailscope</source>
        <translation>Mailscope</translation>
    </message>
    <message>
        <source>No message matches this filter.</source>
        <translation>Aucun message ne correspond à ce filtre.</translation>
    </message>
    <message>
        <source>Syncing… messages appear here as they arrive.</source>
        <translation>Synchronisation… les messages apparaissent ici à mesure qu&apos;ils arrivent.</translation>
    </message>
    <message>
        <source>No messages in this folder yet.</source>
        <translation>Aucun message dans ce dossier pour l&apos;instant.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation>Se reconnecter</translation>
    </message>
    <message>
        <source>&amp;Mailbox</source>
        <translation>&amp;Boîte de réception</translation>
    </message>
    <message>
        <source>&amp;Connect a mailbox…</source>
        <translation>&amp;Connecter une boîte de réception…</translation>
    </message>
    <message>
        <source>Open the &amp;demo workspace</source>
        <translation>Ouvrir l&apos;espace de &amp;démonstration</translation>
    </message>
    <message>
        <source>&amp;Sync now</source>
        <translation>&amp;Synchroniser maintenant</translation>
    </message>
    <message>
        <source>Ca&amp;ncel sync</source>
        <translation>A&amp;nnuler la synchronisation</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>Aff&amp;ichage</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>&amp;Rechercher</translation>
    </message>
    <message>
        <source>&amp;Next that needs action</source>
        <translation>Message suivant &amp;à traiter</translation>
    </message>
    <message>
        <source>&amp;Messages</source>
        <translation>&amp;Messages</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Paramètres</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;About Mailscope</source>
        <translation>À &amp;propos de Mailscope</translation>
    </message>
    <message>
        <source>About Mailscope</source>
        <translation>À propos de Mailscope</translation>
    </message>
    <message>
        <source>&amp;CRM</source>
        <translation>&amp;CRM</translation>
    </message>
    <message>
        <source>Connect &amp;HubSpot…</source>
        <translation>Connecter &amp;HubSpot…</translation>
    </message>
    <message>
        <source>&amp;Refresh contacts now</source>
        <translation>&amp;Actualiser les contacts maintenant</translation>
    </message>
    <message>
        <source>&amp;Accounts…</source>
        <translation>&amp;Comptes…</translation>
    </message>
    <message>
        <source>&amp;Forwarding (SMTP)…</source>
        <translation>Transfert (&amp;SMTP)…</translation>
    </message>
    <message>
        <source>Check an email</source>
        <translation>Vérifier un e-mail</translation>
    </message>
    <message>
        <source>What if…</source>
        <translation>Et si…</translation>
    </message>
    <message>
        <source>Activity report</source>
        <translation>Rapport d&apos;activité</translation>
    </message>
    <message>
        <source>demo: up to date</source>
        <translation>démo&#xa0;: à jour</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Aide</translation>
    </message>
    <message>
        <source>Thunderbird add-in</source>
        <translation>Module complémentaire Thunderbird</translation>
    </message>
    <message>
        <source>Mailscope&apos;s helper for Thunderbird is installed.

In Thunderbird, open the Add-ons Manager, choose Install Add-on From File in its gear menu, and pick:
%1</source>
        <translation>L&apos;assistant Mailscope pour Thunderbird est installé.

Dans Thunderbird, ouvrez le Gestionnaire de modules complémentaires, choisissez Installer un module depuis un fichier dans le menu en forme de roue dentée, puis sélectionnez&#xa0;:
%1</translation>
    </message>
    <message>
        <source>Nothing to remove.</source>
        <translation>Rien à supprimer.</translation>
    </message>
    <message>
        <source>Thunderbird add-in removed</source>
        <translation>Module complémentaire Thunderbird supprimé</translation>
    </message>
    <message>
        <source>&amp;Install the Thunderbird add-in…</source>
        <translation>&amp;Installer le module complémentaire Thunderbird…</translation>
    </message>
    <message>
        <source>Re&amp;move the Thunderbird add-in</source>
        <translation>&amp;Supprimer le module complémentaire Thunderbird</translation>
    </message>
    <message>
        <source>Back to messages</source>
        <translation>Retour aux messages</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Échap</translation>
    </message>
    <message>
        <source>&amp;Log the email now</source>
        <translation>&amp;Consigner l&apos;e-mail maintenant</translation>
    </message>
    <message>
        <source>&amp;Forward the email to the CRM</source>
        <translation>&amp;Transférer l&apos;e-mail au CRM</translation>
    </message>
    <message>
        <source>Create the &amp;contact…</source>
        <translation>C&amp;réer le contact…</translation>
    </message>
    <message>
        <source>CRM outbox</source>
        <translation>Boîte d&apos;envoi CRM</translation>
    </message>
    <message>
        <source>&amp;Account settings</source>
        <translation>&amp;Paramètres du compte</translation>
    </message>
</context>
<context>
    <name>MessageTableModel</name>
    <message>
        <source>Verdict</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Correspondent</source>
        <translation>Correspondant</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Objet</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <source>Attributed to</source>
        <translation>Attribué à</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(sans objet)</translation>
    </message>
    <message>
        <source>(unknown sender)</source>
        <translation>(expéditeur inconnu)</translation>
    </message>
    <message>
        <source>To: (nobody yet)</source>
        <translation>À&#xa0;: (personne pour l&apos;instant)</translation>
    </message>
    <message>
        <source>To: %1 +%2</source>
        <translation>À&#xa0;: %1 +%2</translation>
    </message>
    <message>
        <source>To: %1</source>
        <translation>À&#xa0;: %1</translation>
    </message>
    <message>
        <source>Connect your CRM to see real verdicts</source>
        <translation>Connectez votre CRM pour voir les vrais verdicts</translation>
    </message>
    <message>
        <source>Will be logged: %1</source>
        <translation>Sera consigné&#xa0;: %1</translation>
    </message>
    <message>
        <source>Won&apos;t be logged: %1</source>
        <translation>Ne sera pas consigné&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>OutboxModel</name>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>Essais</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Mis à jour</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Envoi…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Consigner</translation>
    </message>
    <message>
        <source>Create contact</source>
        <translation>Créer le contact</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Transférer</translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting, </source>
        <translation>
            <numerusform>%n en attente, </numerusform>
            <numerusform>%n en attente, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n en échec</numerusform>
            <numerusform>%n en échec</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RulesPage</name>
    <message>
        <source>Your HubSpot admin chose this in Settings › Objects › Activities › Email logging.</source>
        <translation>Votre administrateur HubSpot l&apos;a choisi dans Paramètres › Objets › Activités › Consignation des e-mails.</translation>
    </message>
    <message>
        <source>Log all emails (from known contacts): HubSpot&apos;s default</source>
        <translation>Consigner tous les e-mails (des contacts connus)&#xa0;: le réglage par défaut de HubSpot</translation>
    </message>
    <message>
        <source>Log replies only</source>
        <translation>Consigner uniquement les réponses</translation>
    </message>
    <message>
        <source>Create new contacts from logged emails (HubSpot beta)</source>
        <translation>Créer des contacts à partir des e-mails consignés (bêta HubSpot)</translation>
    </message>
    <message>
        <source>Logging rule</source>
        <translation>Règle de consignation</translation>
    </message>
    <message>
        <source>Pick the same here.</source>
        <translation>Choisissez la même ici.</translation>
    </message>
    <message>
        <source>BCC address</source>
        <translation>Adresse Cci</translation>
    </message>
    <message>
        <source>Forwarding address</source>
        <translation>Adresse de transfert</translation>
    </message>
    <message>
        <source>Some portals use a regional address: copy HubSpot&apos;s if it differs.</source>
        <translation>Certains portails utilisent une adresse régionale&#xa0;: copiez celle de HubSpot si elle diffère.</translation>
    </message>
    <message>
        <source>Never log</source>
        <translation>Ne jamais consigner</translation>
    </message>
</context>
<context>
    <name>SafeActions</name>
    <message>
        <source>This creates a contact in the CRM:</source>
        <translation>Cette action crée un contact dans le CRM&#xa0;:</translation>
    </message>
    <message>
        <source>Owner: %1</source>
        <translation>Propriétaire du contact&#xa0;: %1</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>personne</translation>
    </message>
    <message>
        <source>This sender sends bulk mail (a newsletter or a mailing list).</source>
        <translation>Cet expéditeur fait des envois en masse (une newsletter ou une liste de diffusion).</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Create a CRM contact?</source>
        <translation>Créer un contact dans le CRM&#x202f;?</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Créer</translation>
    </message>
    <message>
        <source>Don&apos;t ask again for non-bulk senders</source>
        <translation>Ne plus demander, sauf pour les envois en masse</translation>
    </message>
    <message>
        <source>Nothing was created.</source>
        <translation>Rien n&apos;a été créé.</translation>
    </message>
    <message>
        <source>Done in the CRM: %1</source>
        <translation>Fait dans le CRM&#xa0;: %1</translation>
    </message>
    <message>
        <source>Failed: %1 (see the CRM outbox)</source>
        <translation>Échec&#xa0;: %1 (voir la boîte d&apos;envoi CRM)</translation>
    </message>
    <message>
        <source>Already queued: %1</source>
        <translation>Déjà en file d&apos;attente&#xa0;: %1</translation>
    </message>
    <message>
        <source>Queued: %1. Undo within 10 seconds.</source>
        <translation>En file d&apos;attente&#xa0;: %1. Vous pouvez annuler pendant 10 secondes.</translation>
    </message>
    <message>
        <source>Undone: %1 (nothing reached the CRM).</source>
        <translation>Annulé&#xa0;: %1 (rien n&apos;est parvenu au CRM).</translation>
    </message>
</context>
<context>
    <name>SessionPassword</name>
    <message>
        <source>Password for %1 (kept until you quit):</source>
        <translation>Mot de passe de %1 (gardé jusqu’à la fermeture de Mailscope)&#xa0;:</translation>
    </message>
    <message>
        <source>Mailbox password</source>
        <translation>Mot de passe de la boîte aux lettres</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <source>the account %1 is gone</source>
        <translation>le compte %1 n&apos;existe plus</translation>
    </message>
    <message>
        <source>the cache cannot be written: %1</source>
        <translation>impossible d&apos;écrire dans le cache&#xa0;: %1</translation>
    </message>
    <message>
        <source>Log replies only</source>
        <translation>Consigner uniquement les réponses</translation>
    </message>
    <message>
        <source>Log all emails</source>
        <translation>Consigner tous les e-mails</translation>
    </message>
    <message>
        <source>Create new contacts from logged emails (HubSpot beta)</source>
        <translation>Créer des contacts à partir des e-mails consignés (bêta HubSpot)</translation>
    </message>
    <message>
        <source>Save addresses</source>
        <translation>Enregistrer les adresses</translation>
    </message>
    <message>
        <source>Account rules (account admins)</source>
        <translation>Règles du compte (administrateurs du compte)</translation>
    </message>
    <message>
        <source>Logging rule</source>
        <translation>Règle de consignation</translation>
    </message>
    <message>
        <source>BCC address</source>
        <translation>Adresse Cci</translation>
    </message>
    <message>
        <source>Forward address</source>
        <translation>Adresse de transfert</translation>
    </message>
    <message>
        <source>Never log</source>
        <translation>Ne jamais consigner</translation>
    </message>
    <message>
        <source>My Never-log list</source>
        <translation>Ma liste Ne jamais consigner</translation>
    </message>
    <message>
        <source>No account yet: connect a mailbox first.</source>
        <translation>Aucun compte pour l&apos;instant&#xa0;: connectez d&apos;abord une boîte de réception.</translation>
    </message>
    <message>
        <source>Read-only: </source>
        <translation>Lecture seule&#xa0;: </translation>
    </message>
    <message>
        <source>Saving and deciding every message again…</source>
        <translation>Enregistrement et nouvelle décision de chaque message…</translation>
    </message>
    <message>
        <source>The change failed.</source>
        <translation>La modification a échoué.</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>Inbox</source>
        <translation>Réception</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Envoyés</translation>
    </message>
    <message>
        <source>Drafts</source>
        <translation>Brouillons</translation>
    </message>
    <message>
        <source>Archive</source>
        <translation>Archives</translation>
    </message>
    <message>
        <source>%1: %2 messages; %3 will be logged, %4 won&apos;t, %5 need an action</source>
        <translation>%1&#xa0;: %2 messages&#x202f;; %3 seront consignés, %4 non, %5 à traiter</translation>
    </message>
</context>
<context>
    <name>SignInAgainDialog</name>
    <message>
        <source>Sign in again: %1</source>
        <translation>Se reconnecter&#xa0;: %1</translation>
    </message>
    <message>
        <source>Your sign-in has expired or was revoked.</source>
        <translation>Votre connexion a expiré ou a été révoquée.</translation>
    </message>
</context>
<context>
    <name>SmtpDialog</name>
    <message>
        <source>Forwarding (SMTP)</source>
        <translation>Transfert (SMTP)</translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <source>SSL/TLS</source>
        <translation>SSL/TLS</translation>
    </message>
    <message>
        <source>None (this computer only)</source>
        <translation>Aucune (cet ordinateur seulement)</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>inchangé</translation>
    </message>
    <message>
        <source>your address</source>
        <translation>votre adresse</translation>
    </message>
    <message>
        <source>optional: a CA file to trust</source>
        <translation>facultatif&#xa0;: un fichier de CA de confiance</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Tester</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sécurité</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nom d&apos;utilisateur</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>Send as</source>
        <translation>Envoyer en tant que</translation>
    </message>
    <message>
        <source>Trusted CA</source>
        <translation>CA de confiance</translation>
    </message>
    <message>
        <source>The account %1 was removed.</source>
        <translation>Le compte %1 a été supprimé.</translation>
    </message>
    <message>
        <source>Enter the server&apos;s name.</source>
        <translation>Saisissez le nom du serveur.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>%1 accepted the login: forwards can go out.</source>
        <translation>%1 a accepté l&apos;authentification&#xa0;: les transferts peuvent partir.</translation>
    </message>
</context>
<context>
    <name>SyncControl</name>
    <message>
        <source>%1 not synced: no password this session.</source>
        <translation>%1 non synchronisé&#xa0;: pas de mot de passe pour cette session.</translation>
    </message>
    <message>
        <source>%1: syncing %2 (%3 of %4)</source>
        <translation>%1&#xa0;: synchronisation de %2 (%3 sur %4)</translation>
    </message>
    <message>
        <source>%1: deciding verdicts…</source>
        <translation>%1&#xa0;: calcul des verdicts…</translation>
    </message>
    <message>
        <source>%1: up to date</source>
        <translation>%1&#xa0;: à jour</translation>
    </message>
    <message>
        <source>%1: checking %2…</source>
        <translation>%1&#xa0;: vérification de %2…</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>Jamais synchronisé</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>Dernière synchronisation&#xa0;: %1</translation>
    </message>
    <message>
        <source>Sync cancelled; press F5 to sync again.</source>
        <translation>Synchronisation annulée&#x202f;; appuyez sur F5 pour synchroniser de nouveau.</translation>
    </message>
    <message>
        <source>{0}: the local cache cannot be written ({1}); what was synced is kept</source>
        <translation>{0}&#xa0;: impossible d&apos;écrire dans le cache local ({1})&#x202f;; ce qui a été synchronisé est conservé</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to Mailscope</source>
        <translation>Bienvenue dans Mailscope</translation>
    </message>
    <message>
        <source>See, for every email, whether your CRM will log it, why, with which contacts and for whom. Connect your mailbox to start, or look around in a demo mailbox first.</source>
        <translation>Voyez, pour chaque e-mail, si votre CRM le consignera, pourquoi, avec quels contacts et pour qui. Connectez votre boîte de réception pour commencer, ou découvrez d&apos;abord une boîte de démonstration.</translation>
    </message>
    <message>
        <source>Connect your mailbox…</source>
        <translation>Connecter votre boîte de réception…</translation>
    </message>
    <message>
        <source>Open the demo workspace</source>
        <translation>Ouvrir l&apos;espace de démonstration</translation>
    </message>
</context>
<context>
    <name>WhatIfView</name>
    <message>
        <source>(unchanged)</source>
        <translation>(inchangé)</translation>
    </message>
    <message>
        <source>Log replies only</source>
        <translation>Consigner uniquement les réponses</translation>
    </message>
    <message>
        <source>Log all emails</source>
        <translation>Consigner tous les e-mails</translation>
    </message>
    <message>
        <source>On (HubSpot beta)</source>
        <translation>Activé (bêta HubSpot)</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <source>rival.example, someone@else.example</source>
        <translation>concurrent.example, quelquun@ailleurs.example</translation>
    </message>
    <message>
        <source>an entry of the Never-log list</source>
        <translation>une entrée de la liste Ne jamais consigner</translation>
    </message>
    <message>
        <source> days</source>
        <translation> jours</translation>
    </message>
    <message>
        <source>Simulate</source>
        <translation>Simuler</translation>
    </message>
    <message>
        <source>Logging rule</source>
        <translation>Règle de consignation</translation>
    </message>
    <message>
        <source>Create contacts from logged emails</source>
        <translation>Créer des contacts à partir des e-mails consignés</translation>
    </message>
    <message>
        <source>Add to Never-log</source>
        <translation>Ajouter à Ne jamais consigner</translation>
    </message>
    <message>
        <source>Remove from Never-log</source>
        <translation>Retirer de Ne jamais consigner</translation>
    </message>
    <message>
        <source>Recent mail</source>
        <translation>Courrier récent</translation>
    </message>
    <message>
        <source>Nothing is written: a simulation only reads the cache.</source>
        <translation>Rien n&apos;est écrit&#xa0;: une simulation ne fait que lire le cache.</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Actuellement</translation>
    </message>
    <message>
        <source>With the change</source>
        <translation>Avec le changement</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Différence</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Counts for</source>
        <translation>Attribué à</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Objet</translation>
    </message>
    <message>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <source>Messages whose verdict changes</source>
        <translation>Messages dont le verdict change</translation>
    </message>
    <message>
        <source>Choose a rule, a Never-log or a contacts change first.</source>
        <translation>Choisissez d&apos;abord une règle, une modification Ne jamais consigner ou de création de contacts.</translation>
    </message>
    <message>
        <source>Simulating: {0}…</source>
        <translation>Simulation&#xa0;: {0}…</translation>
    </message>
    <message>
        <source>Create contacts: on</source>
        <translation>Création de contacts&#xa0;: activée</translation>
    </message>
    <message>
        <source>Create contacts: off</source>
        <translation>Création de contacts&#xa0;: désactivée</translation>
    </message>
    <message>
        <source>Never-log + {0}</source>
        <translation>Ne jamais consigner + {0}</translation>
    </message>
    <message>
        <source>Never-log − {0}</source>
        <translation>Ne jamais consigner − {0}</translation>
    </message>
    <message>
        <source>No account named {0}.</source>
        <translation>Aucun compte nommé {0}.</translation>
    </message>
    <message>
        <source>{0}: over the last {1} days ({2} messages), {3} logged now, {4} with the change; {5} messages change.</source>
        <translation>{0}&#xa0;: sur les {1} derniers jours ({2} messages), {3} consignés actuellement, {4} avec le changement&#x202f;; {5} messages changent.</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>personne</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(sans objet)</translation>
    </message>
</context>
</TS>
