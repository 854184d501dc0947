from ceforge.cli import main

main()
