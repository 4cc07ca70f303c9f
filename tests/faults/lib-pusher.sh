# lib-pusher.sh LOGIN: commit and push until the file pushers.stop exists,
# over SSH and HTTPS in turn (see start_pushers in lib-faults.sh). Runs in
# the trash directory.
login=$1 n=0
git clone -q "http://$login:$(cat tokens/$login)@127.0.0.1:$HTTP_PORT/git/c1/a1.git" "w-$login" ||
	exit 1
GIT_SSH_COMMAND="ssh -i $TRASH_DIRECTORY/$login.key -o IdentitiesOnly=yes -o StrictHostKeyChecking=no \
-o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR"
export GIT_SSH_COMMAND
while ! test -e pushers.stop; do
	n=$((n + 1))
	echo "# $n $(date +%s%N)" >>"w-$login/run.sh" &&
	git -C "w-$login" commit -q -am "push $n" || exit 1
	sha=$(git -C "w-$login" rev-parse HEAD)
	if test $((n % 2)) = 0; then
		via=ssh
		url="ssh://$SSH_USER@127.0.0.1:$SSHD_PORT/c1/a1.git"
	else
		via=http
		url="http://$login:$(cat tokens/$login)@127.0.0.1:$HTTP_PORT/git/c1/a1.git"
	fi
	if timeout 120 git -C "w-$login" push "$url" HEAD:main >"w-$login.out" 2>&1; then
		echo "$login $sha $via" >>acked
	else
		echo "$login $sha $via" >>refused
		sed "s/^/$login: /" "w-$login.out" >>refused.log
	fi
done
