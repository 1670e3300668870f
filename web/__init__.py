"""The partner workspace: a server-rendered web app over the store's read API (`evictwatch serve`)."""
