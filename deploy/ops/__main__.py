import sys

from deploy.ops.cli import main

sys.exit(main())
