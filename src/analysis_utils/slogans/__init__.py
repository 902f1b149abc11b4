"""slogans"""
