module example.com/hooklinesig

go 1.19
