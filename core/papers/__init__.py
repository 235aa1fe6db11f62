"""Paper checks: one small experiment per paper that tests its central claim on this machine (`labelscope papers`)."""
