"""Reminders (docs/reminders.md): rules that find what is about to go wrong, channels that
carry the message (WeCom, DingTalk, e-mail), and a delivery log that sends each message once."""
