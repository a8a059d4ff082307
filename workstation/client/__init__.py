"""The workstation's engine room, without Qt: connection profiles, the local venue, one FIX
session per Kalshi session type, the trading state they feed, and the actions a trader takes.
The Qt layer (workstation.ui) binds to it through one bridge and never touches a socket."""
