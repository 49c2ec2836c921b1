import sys

from liangxin.web import manage

sys.exit(manage(sys.argv[1:]))
