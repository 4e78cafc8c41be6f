from resourcepool.cli import main

main()
