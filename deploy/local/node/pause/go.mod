module sluice.local/pause

go 1.22
