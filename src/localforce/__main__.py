from localforce.cli import main

main()
