"""One module per `audiogen` command; `audiogen.cli` puts them together."""
