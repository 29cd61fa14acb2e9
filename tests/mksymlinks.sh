#!/bin/sh
# Makes the symbolic-link fixture the link tests share: a Win32 test under Wine cannot make links
# itself (Wine 8's CreateSymbolicLinkA creates nothing), but Wine shows the build host's links.
# Usage: mksymlinks.sh DIR STAMP
set -eu
dir=$1
rm -rf "$dir"
mkdir -p "$dir/compat/sub" "$dir/site/htdocs/sub" "$dir/site/htdocs/idx" "$dir/site/secret"
# compat/: a file, a directory, a link to each, and a link to nothing.
printf 'hello' >"$dir/compat/target.txt"
printf 'inner' >"$dir/compat/sub/inner.txt"
ln -s target.txt "$dir/compat/filelink"
ln -s sub "$dir/compat/dirlink"
ln -s missing "$dir/compat/dangling"
# site/: a DocumentRoot with links inside it and links that lead out of it.
printf '<p>index</p>\n' >"$dir/site/htdocs/index.html"
printf 'real file\n' >"$dir/site/htdocs/real.txt"
printf 'in sub\n' >"$dir/site/htdocs/sub/a.txt"
printf 'index of sub\n' >"$dir/site/htdocs/sub/index.html"
printf 'secret\n' >"$dir/site/secret/secret.txt"
ln -s real.txt "$dir/site/htdocs/link.txt"
ln -s sub "$dir/site/htdocs/sublink"
ln -s ../secret "$dir/site/htdocs/out"
ln -s ../secret/secret.txt "$dir/site/htdocs/outfile.txt"
ln -s ../real.txt "$dir/site/htdocs/sub/up.txt"
ln -s ../real.txt "$dir/site/htdocs/idx/index.html"
touch "$2"
