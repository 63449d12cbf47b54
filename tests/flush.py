"""Idle flush through a real pipe: a line written to logscrub's stdin comes
out on its stdout while stdin stays open (as under syslog-ng's program()).
Each wait is bounded; the test fails if a line takes longer than 10 s."""
import select
import subprocess
import sys

p = subprocess.Popen([sys.argv[1]], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
fails = 0
for i in range(3):
    p.stdin.write(b'login from 198.51.100.%d\n' % (i + 1))
    p.stdin.flush()
    ready, _, _ = select.select([p.stdout], [], [], 10)
    line = p.stdout.readline() if ready else b''
    if line != b'login from 198.51.100.0\n':
        print('FAIL: line %d: got %r while the input stayed open' % (i, line))
        fails += 1
p.stdin.close()
p.wait(timeout=10)
print('%d passed, %d failed' % (3 - fails, fails))
sys.exit(1 if fails else 0)
