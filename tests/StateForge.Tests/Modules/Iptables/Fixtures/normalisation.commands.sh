# Each rule below was added with these iptables commands (iptables 1.8.9, nf_tables) on a lab
# host; normalisation.iptables-save.txt is what iptables-save -t filter printed afterwards.
iptables -N T
iptables -A T -p tcp --dport 2049 -m state --state NEW -j ACCEPT
iptables -A T -p tcp -m conntrack --ctstate NEW --dport 2049 -j ACCEPT
iptables -A T -m state --state ESTABLISHED,RELATED -j ACCEPT
iptables -A T -s 10.0.0.1 -p udp --dport 53 -m comment --comment "dns it is" -j ACCEPT
iptables -A T -s 1.2.3.4/255.255.255.0 -j ACCEPT
iptables -A T -p tcp -m comment --comment '$(touch /tmp/pwned) "q" '"'"'s\b' -j ACCEPT
iptables -A T ! -s 10.0.0.0/8 -p 6 --destination-port 80:80 -j ACCEPT
iptables -A T -p tcp -m multiport --destination-ports 2049,111 -j ACCEPT
iptables -A T ! -i eth+ -p all -j ACCEPT
iptables -A T -m conntrack ! --ctstate INVALID -j ACCEPT
iptables -A T -j REJECT
iptables -A T -j REJECT --reject-with icmp-host-prohibited
