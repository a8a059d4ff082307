"""The workstation's panels: widgets that each live in one dock of the main window."""
