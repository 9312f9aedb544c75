#!/usr/bin/env python3
"""Sends one hand-built nfnetlink batch and reads every reply, for golden captures of kernel
answers that nft does not provoke (capped acks, policy errors with text, EPERM on a batch).
Run under strace by capture-netlink.sh (through netlink-capture.sh), inside a throwaway network namespace.

Usage: nfnl_probe.py capped|policy|plain
  capped: NETLINK_CAP_ACK + NETLINK_EXT_ACK; batch = NEWTABLE inet t (ack), DELTABLE inet nosuch (ENOENT)
  policy: NETLINK_EXT_ACK; batch = NEWTABLE inet <300 x 'a'> (ERANGE "Attribute failed policy validation")
  plain:  NETLINK_EXT_ACK only; same batch as capped (run it without CAP_NET_ADMIN to see EPERM)
Sequence numbers are fixed: batch begin 100, messages 101.., batch end after them.
"""
import socket
import struct
import sys

NETLINK_NETFILTER = 12          # linux/netlink.h
SOL_NETLINK = 270               # linux/socket.h
NETLINK_CAP_ACK = 10            # linux/netlink.h
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK, NLM_F_CREATE = 0x1, 0x4, 0x400
NFNL_MSG_BATCH_BEGIN, NFNL_MSG_BATCH_END = 0x10, 0x11
NFNL_SUBSYS_NFTABLES = 10
NFT_MSG_NEWTABLE, NFT_MSG_DELTABLE = 0, 2
NFTA_TABLE_NAME = 1
NFPROTO_INET = 1


def message(msg_type, flags, seq, payload):
    length = 16 + len(payload)
    return struct.pack('=IHHII', length, msg_type, flags, seq, 0) + payload + b'\0' * ((4 - length % 4) % 4)


def attribute(attr_type, data):
    length = 4 + len(data)
    return struct.pack('=HH', length, attr_type) + data + b'\0' * ((4 - length % 4) % 4)


def nfgenmsg(family, res_id):
    return struct.pack('!BBH', family, 0, res_id)


def main(mode):
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.bind((0, 0))
    sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    if mode == 'capped':
        sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
    nft = lambda m: (NFNL_SUBSYS_NFTABLES << 8) | m
    if mode == 'policy':
        body = [message(nft(NFT_MSG_NEWTABLE), NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, 101,
                        nfgenmsg(NFPROTO_INET, 0) + attribute(NFTA_TABLE_NAME, b'a' * 300 + b'\0'))]
    else:
        body = [message(nft(NFT_MSG_NEWTABLE), NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, 101,
                        nfgenmsg(NFPROTO_INET, 0) + attribute(NFTA_TABLE_NAME, b't\0')),
                message(nft(NFT_MSG_DELTABLE), NLM_F_REQUEST | NLM_F_ACK, 102,
                        nfgenmsg(NFPROTO_INET, 0) + attribute(NFTA_TABLE_NAME, b'nosuch\0'))]
    batch = (message(NFNL_MSG_BATCH_BEGIN, NLM_F_REQUEST, 100, nfgenmsg(0, NFNL_SUBSYS_NFTABLES))
             + b''.join(body)
             + message(NFNL_MSG_BATCH_END, NLM_F_REQUEST, 101 + len(body), nfgenmsg(0, NFNL_SUBSYS_NFTABLES)))
    sock.sendmsg([batch])
    sock.settimeout(0.5)
    try:
        while True:
            sock.recvmsg(1 << 17)
    except socket.timeout:
        pass


if __name__ == '__main__':
    main(sys.argv[1])
