import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *

SITEURL = "https://pelican.example.com"
RELATIVE_URLS = False
