"""editorial stage: what people add to the extracted data. Accounts and roles (`accounts`,
`roles`, `passwords`), corrections of facts (`corrections`), and articles in Markdown that
cite facts and series (`articles`, `citations`, `markdown`). Above store and analyze, below
the CLI and the portal."""
