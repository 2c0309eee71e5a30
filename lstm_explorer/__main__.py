from lstm_explorer.cli import main

main()
