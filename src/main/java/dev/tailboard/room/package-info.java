/** Collaboration rooms over WebSocket: presence, chat, shared notes, pointers. */
package dev.tailboard.room;
