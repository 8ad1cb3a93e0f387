import sys

from baotinh.cli import main

sys.exit(main())
