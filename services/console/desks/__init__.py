"""One module per desk: the pages of one operator workflow and the forms they post."""
