"""The spreadsheets people fill in offline: a project's results framework (`framework`) and
its progress in bulk (`progress`). Each module writes the template and reads a filled-in file
back into rows with their problems; the services decide what the rows mean."""
