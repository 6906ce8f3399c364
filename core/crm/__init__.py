"""The CRM side: account settings and directory, the local CRM, HubSpot, the outbox."""
