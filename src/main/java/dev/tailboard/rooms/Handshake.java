package dev.tailboard.rooms;

import dev.tailboard.auth.Caller;

/**
 * What one room handshake learnt, handed from {@link RoomConfigurator#modifyHandshake} to the
 * connection's {@code @OnOpen} in one object, so the three values always belong to the same
 * handshake.
 *
 * @param caller the token's caller, {@link Caller#ANONYMOUS} without a token
 * @param authError why the token was refused, or null
 * @param client the address the connection counts against ({@code limits.connectionsPerClient},
 *     {@code rooms.maxPerClient}), or null when the container gave none
 */
record Handshake(Caller caller, String authError, String client) {}
