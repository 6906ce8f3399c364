"""Non-code resources shipped with Mailscope: the demo workspace, icons, translations."""
