#!/bin/sh
# what a local user that is not ecombi's can do with the embedded database: $1 = port, $2 = data folder
port=$1; data=$2
# run as root (runuser): each probe connects as the user nobody; a program that runs leaves a file in $out
out=$(mktemp -d); chmod 777 "$out"
for u in postgres ecombi; do
  out=$(runuser -u nobody -- env PGCONNECT_TIMEOUT=5 psql -w -h localhost -p $port -U $u -d postgres -Atc "select current_user, rolsuper from pg_roles where rolname=current_user" 2>&1 | head -1)
  echo "connect as $u without password: $out"
  out=$(runuser -u nobody -- env PGCONNECT_TIMEOUT=5 psql -w -h localhost -p $port -U $u -d postgres -Atc "COPY (SELECT 1) TO PROGRAM 'id > $out/pwned-$u'" 2>&1 | head -1)
  echo "COPY TO PROGRAM as $u: ${out:-ran} $( [ -f $out/pwned-$u ] && echo "(PROGRAM RAN: $(cat $out/pwned-$u))" )"
  rm -f $out/pwned-$u
done
echo "read the credentials file: $(runuser -u nobody -- cat $data/ecombi-credentials 2>&1 | head -1 | cut -c1-80)"
echo "list the data folder: $(runuser -u nobody -- ls $data 2>&1 | head -1)"
rm -rf "$out"
